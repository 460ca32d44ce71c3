//! The days records fall on: counted records up to the cut-off (inside the look-back window
//! when the source has one), noise after the cut-off or before the window.

use super::dates::day;
use super::rows::{Dates, Role};
use super::CUTOFF;
use crate::rng::Draws;

/// The days of one source's records.
pub(super) struct Days {
    dates: Dates,
    cutoff: i32,
    window: Option<u32>,
}

impl Days {
    pub fn new(dates: Dates, window: Option<u32>) -> Days {
        Days {
            dates,
            cutoff: day(CUTOFF),
            window,
        }
    }

    /// A day for a row in the part `role`.
    pub fn of(&self, role: Role, d: &mut Draws) -> i32 {
        match role {
            Role::After => self.after(d),
            Role::Before => self.before(d),
            Role::Counted | Role::Failing => self.counted(d),
        }
    }

    /// A day that counts: up to the cut-off, later days more likely.
    pub fn counted(&self, d: &mut Draws) -> i32 {
        let cutoff = self.cutoff;
        match &self.dates {
            Dates::Range { start } => {
                let lo = match self.window {
                    Some(w) => cutoff - w as i32 + 1,
                    None => *start,
                };
                if d.uniform() < 0.02 {
                    return cutoff; // the cut-off day itself counts
                }
                let span = (cutoff - lo + 1) as f64;
                (lo + (d.uniform().sqrt() * span) as i32).min(cutoff)
            }
            Dates::Choices { counted, .. } => day(counted[d.below(counted.len())]),
        }
    }

    /// A day after the cut-off.
    fn after(&self, d: &mut Draws) -> i32 {
        match &self.dates {
            Dates::Range { .. } if d.uniform() < 0.1 => self.cutoff + 1,
            Dates::Range { .. } => self.cutoff + 1 + (d.uniform() * 120.0) as i32,
            Dates::Choices { after, .. } => day(after[d.below(after.len())]),
        }
    }

    /// A day on or before the day the window starts after.
    fn before(&self, d: &mut Draws) -> i32 {
        let edge = self.cutoff - self.window.expect("a window") as i32;
        if d.uniform() < 0.1 {
            edge // the day the window starts after
        } else {
            edge - (d.uniform() * 365.0) as i32
        }
    }
}

//! What the server holds: every edition built once, its view, its what-if state and its site.

use crate::edition::Edition;
use crate::site;
use crate::view::View;
use crate::whatif::WhatIf;
use cityrank_io::Error;
use std::collections::HashMap;

pub struct Held {
    pub ed: Edition,
    pub view: View,
    pub whatif: WhatIf,
    /// The static site of this edition, served from memory (so no path reaches the disk).
    pub pages: HashMap<String, Vec<u8>>,
}

pub struct State {
    /// Oldest first.
    pub editions: Vec<Held>,
    /// What the dashboard and the API show when no edition is asked for (see [`State::new`]).
    pub default: usize,
}

impl State {
    /// Holds `eds`, ordered by edition label; each is compared with the one before it.
    ///
    /// The default edition is the latest whose data are not illustrative; when every edition is
    /// illustrative, the first one given (the `--spec` of `serve`, or the bundled 2020 one), so
    /// an imagined later edition is never what a reader lands on.
    pub fn new(mut eds: Vec<Edition>) -> Result<State, Error> {
        let first = eds.first().map(|e| e.id().to_string());
        eds.sort_by_key(|e| e.label());
        let mut held: Vec<Held> = Vec::with_capacity(eds.len());
        for ed in eds {
            let prev = held.last().map(|h| &h.ed);
            let view = View::new(&ed, prev);
            let pages = site::pages(&ed, prev, true)?.into_iter().collect();
            held.push(Held {
                whatif: WhatIf::new(&ed),
                view,
                pages,
                ed,
            });
        }
        let real = held.iter().rposition(|h| !h.ed.spec.spec.meta.illustrative);
        let given = held
            .iter()
            .position(|h| Some(h.ed.id()) == first.as_deref());
        Ok(State {
            default: real.or(given).unwrap_or(0),
            editions: held,
        })
    }

    /// The edition with this id, or the default one.
    pub fn get(&self, id: Option<&str>) -> Option<&Held> {
        match id {
            None => self.editions.get(self.default),
            Some(id) => self.editions.iter().find(|h| h.ed.id() == id),
        }
    }
}

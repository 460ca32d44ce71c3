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
}

impl State {
    /// Holds `eds`, ordered by edition label; each is compared with the one before it.
    pub fn new(mut eds: Vec<Edition>) -> Result<State, Error> {
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
        Ok(State { editions: held })
    }

    /// The edition with this id, or the latest.
    pub fn get(&self, id: Option<&str>) -> Option<&Held> {
        match id {
            None => self.editions.last(),
            Some(id) => self.editions.iter().find(|h| h.ed.id() == id),
        }
    }
}

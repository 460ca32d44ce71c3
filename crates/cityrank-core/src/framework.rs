//! The index tree, checked and resolved.
//!
//! A spec lists nodes with parent references, which is easy to write and review but can hold
//! cycles, orphans and bad weights. [`Framework::from_spec`] turns it into a tree that is known
//! to be sound, with every inherited method resolved onto the node that uses it, so the build
//! never has to look anything up.

use crate::error::{Location, SpecError};
use crate::spec::*;
use std::collections::HashMap;

/// Most nodes and indicators in one tree (published indices have tens to a few hundred).
pub const MAX_NODES: usize = 100_000;
/// Most levels between an indicator and the index (the checks walk parents level by level).
pub const MAX_DEPTH: usize = 64;

/// A node of the checked tree. Indicators come first (node `i` is data column `i`), then the
/// aggregates.
#[derive(Clone, Debug)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Weight within the parent as written (the build renormalises over present siblings).
    pub weight: f64,
    /// 1 for indicators, 1 + the highest child level for aggregates.
    pub level: u32,
    pub kind: NodeKind,
    /// The real-index rules written on this node (applicability, node imputation, rounding).
    pub rules: NodeRules,
}

/// The rules of one node, as written on it (applicability) or resolved (rounding).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct NodeRules {
    /// The units it applies to; `None`: every unit its parent applies to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applies_to: Option<AppliesTo>,
    /// How a missing score of this aggregate is filled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impute: Option<NodeImpute>,
    /// Decimals its scores are rounded to once computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub round: Option<u32>,
}

impl NodeRules {
    pub fn is_empty(&self) -> bool {
        *self == NodeRules::default()
    }
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    Indicator(IndicatorMethods),
    Aggregate(AggregateMethods),
}

/// The resolved methods of one indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorMethods {
    pub direction: Direction,
    pub unit: Option<String>,
    pub transform: Transform,
    pub outliers: Outliers,
    pub normalise: Normalise,
    pub impute: Impute,
}

/// The resolved settings of one aggregate node.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AggregateMethods {
    pub aggregate: Aggregate,
    pub min_share: f64,
    pub rescale: Rescale,
    pub weighting: Weighting,
}

#[derive(Clone, Debug)]
pub struct Framework {
    pub nodes: Vec<Node>,
    pub n_indicators: usize,
    pub root: usize,
    /// Aggregate nodes, children before parents.
    pub bottom_up: Vec<usize>,
    pub level_names: HashMap<u32, String>,
}

impl Framework {
    pub fn from_spec(spec: &Spec) -> Result<Framework, SpecError> {
        let fw = Builder::new(spec)?.build()?;
        crate::checks::check(spec, &fw)?;
        Ok(fw)
    }

    pub fn indicator_ids(&self) -> impl Iterator<Item = &str> {
        self.nodes[..self.n_indicators]
            .iter()
            .map(|n| n.id.as_str())
    }

    pub fn find(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// The children of the index: the published dimensions.
    pub fn dimensions(&self) -> &[usize] {
        &self.nodes[self.root].children
    }

    pub fn indicator_methods(&self, i: usize) -> &IndicatorMethods {
        match &self.nodes[i].kind {
            NodeKind::Indicator(m) => m,
            NodeKind::Aggregate(_) => panic!("node {i} is not an indicator"),
        }
    }

    pub fn aggregate_methods(&self, i: usize) -> &AggregateMethods {
        match &self.nodes[i].kind {
            NodeKind::Aggregate(m) => m,
            NodeKind::Indicator(_) => panic!("node {i} is not an aggregate"),
        }
    }

    /// Indicator columns below a node (the node itself if it is an indicator).
    pub fn leaves_under(&self, node: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if n < self.n_indicators {
                out.push(n);
            } else {
                stack.extend(self.nodes[n].children.iter().rev());
            }
        }
        out.sort_unstable();
        out
    }

    /// The ancestors of a node, nearest first, ending at the root.
    pub fn ancestors(&self, node: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.nodes[node].parent;
        while let Some(p) = cur {
            out.push(p);
            cur = self.nodes[p].parent;
        }
        out
    }

    /// A level's display name: from the spec, or a generic one.
    pub fn level_name(&self, level: u32) -> String {
        if let Some(n) = self.level_names.get(&level) {
            return n.clone();
        }
        let top = self.nodes[self.root].level;
        match level {
            1 => "Indicator".into(),
            l if l == top => "Index".into(),
            l if l == top - 1 => "Dimension".into(),
            l => format!("Level {l}"),
        }
    }
}

struct Builder<'a> {
    spec: &'a Spec,
    /// Aggregate declarations: the index first, then `[[node]]` entries.
    aggs: Vec<&'a NodeDecl>,
    ids: HashMap<&'a str, usize>,
}

impl<'a> Builder<'a> {
    fn new(spec: &'a Spec) -> Result<Self, SpecError> {
        let mut aggs = vec![&spec.index];
        aggs.extend(spec.nodes.iter());
        let n_ind = spec.indicators.len();
        if n_ind + aggs.len() > MAX_NODES {
            return Err(SpecError::new(
                Location::Nowhere,
                format!(
                    "the tree has {} nodes and indicators, more than the {MAX_NODES} allowed",
                    n_ind + aggs.len()
                ),
                "split the index, or compute fine-grained variables into indicators before the build",
            ));
        }
        let mut ids = HashMap::new();
        let all_ids = spec
            .indicators
            .iter()
            .map(|i| (i.id.as_str(), Location::Indicator(i.id.clone())))
            .chain(
                aggs.iter()
                    .map(|n| (n.id.as_str(), Location::Node(n.id.clone()))),
            );
        for (k, (id, loc)) in all_ids.enumerate() {
            check_id(id, &loc)?;
            if ids.insert(id, k).is_some() {
                return Err(SpecError::new(
                    loc,
                    format!("the id `{id}` is used twice"),
                    "give every node and indicator its own id",
                ));
            }
        }
        if n_ind == 0 {
            return Err(SpecError::new(
                Location::Nowhere,
                "the spec has no [[indicator]] entries",
                "add at least one [[indicator]] with an id, a name and a parent",
            ));
        }
        Ok(Builder { spec, aggs, ids })
    }

    fn build(self) -> Result<Framework, SpecError> {
        let n_ind = self.spec.indicators.len();
        let root = n_ind;
        let parents = self.parents()?;
        let mut nodes = self.bare_nodes(&parents);
        for (child, p) in parents.iter().enumerate() {
            if let Some(p) = p {
                nodes[*p].children.push(child);
            }
        }
        self.check_acyclic(&parents, root)?;
        for n in &nodes[n_ind..] {
            if n.children.is_empty() {
                return Err(SpecError::new(
                    Location::Node(n.id.clone()),
                    "this node has no children",
                    "give it indicators or sub-nodes (parent = this id), or remove it",
                ));
            }
        }
        let bottom_up = assign_levels(&mut nodes, n_ind);
        self.check_weights(&nodes)?;
        let level_names = self.resolve_levels(&nodes)?;
        self.resolve_methods(&mut nodes, &parents)?;
        Ok(Framework {
            nodes,
            n_indicators: n_ind,
            root,
            bottom_up,
            level_names,
        })
    }

    fn parents(&self) -> Result<Vec<Option<usize>>, SpecError> {
        let mut out = Vec::new();
        for ind in &self.spec.indicators {
            let loc = Location::Indicator(ind.id.clone());
            out.push(Some(self.parent_index(&ind.parent, loc)?));
        }
        if let Some(p) = &self.spec.index.parent {
            return Err(SpecError::new(
                Location::Node(self.spec.index.id.clone()),
                format!("the index cannot have a parent (it names `{p}`)"),
                "remove `parent` from [index]; it is the root of the tree",
            ));
        }
        out.push(None);
        for node in &self.spec.nodes {
            let loc = Location::Node(node.id.clone());
            let Some(parent) = &node.parent else {
                return Err(SpecError::new(
                    loc,
                    "this [[node]] has no parent, so it is an orphan",
                    format!(
                        "add `parent = \"{}\"` or the id of another node",
                        self.spec.index.id
                    ),
                ));
            };
            out.push(Some(self.parent_index(parent, loc)?));
        }
        Ok(out)
    }

    fn parent_index(&self, parent: &str, loc: Location) -> Result<usize, SpecError> {
        let n_ind = self.spec.indicators.len();
        match self.ids.get(parent) {
            Some(&k) if k >= n_ind => Ok(k),
            Some(_) => Err(SpecError::new(
                loc,
                format!(
                    "its parent `{parent}` is an indicator, and indicators cannot have children"
                ),
                "point `parent` at a [[node]] or at the [index]",
            )),
            None => {
                let names: Vec<&str> = self.aggs.iter().map(|n| n.id.as_str()).collect();
                Err(SpecError::new(
                    loc,
                    format!("its parent `{parent}` is not a node, so it is an orphan"),
                    suggest(parent, &names, "parent"),
                ))
            }
        }
    }

    fn bare_nodes(&self, parents: &[Option<usize>]) -> Vec<Node> {
        let inds = self.spec.indicators.iter().map(|i| {
            (
                i.id.clone(),
                i.name.clone(),
                i.name_zh.clone(),
                i.weight,
                true,
            )
        });
        let aggs = self.aggs.iter().map(|n| {
            (
                n.id.clone(),
                n.name.clone(),
                n.name_zh.clone(),
                n.weight,
                false,
            )
        });
        inds.chain(aggs)
            .zip(parents)
            .map(|((id, name, name_zh, weight, leaf), parent)| Node {
                id,
                name,
                name_zh,
                parent: *parent,
                children: Vec::new(),
                weight: weight.unwrap_or(1.0),
                level: if leaf { 1 } else { 0 },
                rules: NodeRules::default(),
                kind: NodeKind::Aggregate(AggregateMethods {
                    aggregate: Aggregate::Arithmetic,
                    min_share: 0.0,
                    rescale: Rescale::None,
                    weighting: Weighting::Explicit,
                }),
            })
            .collect()
    }

    fn check_acyclic(&self, parents: &[Option<usize>], root: usize) -> Result<(), SpecError> {
        let n = parents.len();
        for start in 0..n {
            let mut cur = start;
            let mut steps = 0;
            while let Some(p) = parents[cur] {
                cur = p;
                steps += 1;
                if steps == MAX_DEPTH && !self.cycle_from(parents, start) {
                    let id = self.id_of(start);
                    return Err(SpecError::new(
                        Location::Node(id.clone()),
                        format!("`{id}` is more than {MAX_DEPTH} levels below the index"),
                        "an index tree is a few levels deep; check the `parent` links of this branch",
                    ));
                }
                if steps > n.min(MAX_DEPTH) {
                    let id = self.id_of(start);
                    return Err(SpecError::new(
                        Location::Node(id.clone()),
                        format!("the parents of `{id}` form a cycle and never reach the index"),
                        "follow the `parent` links from this node and break the loop",
                    ));
                }
            }
            debug_assert_eq!(cur, root);
        }
        Ok(())
    }

    /// Whether following the parents from `start` comes back to a node already passed.
    fn cycle_from(&self, parents: &[Option<usize>], start: usize) -> bool {
        let mut passed = vec![false; parents.len()];
        let mut cur = start;
        while let Some(p) = parents[cur] {
            if std::mem::replace(&mut passed[p], true) {
                return true;
            }
            cur = p;
        }
        false
    }

    fn id_of(&self, k: usize) -> String {
        let n_ind = self.spec.indicators.len();
        if k < n_ind {
            self.spec.indicators[k].id.clone()
        } else {
            self.aggs[k - n_ind].id.clone()
        }
    }

    fn check_weights(&self, nodes: &[Node]) -> Result<(), SpecError> {
        let n_ind = self.spec.indicators.len();
        for (k, n) in nodes.iter().enumerate() {
            if !n.weight.is_finite() || n.weight < 0.0 {
                let loc = if k < n_ind {
                    Location::Indicator(n.id.clone())
                } else {
                    Location::Node(n.id.clone())
                };
                return Err(SpecError::new(
                    loc,
                    format!("weight {} is not a finite non-negative number", n.weight),
                    "use a weight >= 0 (weights are relative within a parent)",
                ));
            }
        }
        for n in nodes.iter().skip(self.spec.indicators.len()) {
            if n.children.iter().all(|&c| nodes[c].weight == 0.0) {
                return Err(SpecError::new(
                    Location::Node(n.id.clone()),
                    "the weights of all its children are zero",
                    "give at least one child a positive weight, or set `weighting = \"equal\"`",
                ));
            }
        }
        Ok(())
    }

    fn resolve_levels(&self, nodes: &[Node]) -> Result<HashMap<u32, String>, SpecError> {
        let mut names = HashMap::new();
        let top = nodes.iter().map(|n| n.level).max().unwrap_or(1);
        for l in &self.spec.levels {
            if l.level == 0 || l.level > top {
                return Err(SpecError::new(
                    Location::Field("level.level".into()),
                    format!(
                        "level {} does not exist: this tree has levels 1 (indicators) to {top}",
                        l.level
                    ),
                    "number levels from 1 for indicators upwards",
                ));
            }
            names.insert(l.level, l.name.clone());
        }
        Ok(names)
    }

    fn resolve_methods(
        &self,
        nodes: &mut [Node],
        parents: &[Option<usize>],
    ) -> Result<(), SpecError> {
        let n_ind = self.spec.indicators.len();
        let defaults = &self.spec.defaults;
        for k in 0..nodes.len() {
            if k < n_ind {
                let ind = &self.spec.indicators[k];
                let mut chain = vec![ind.methods()];
                let mut cur = parents[k];
                while let Some(p) = cur {
                    chain.push(self.aggs[p - n_ind].methods());
                    cur = parents[p];
                }
                chain.push(defaults.methods());
                let m = IndicatorMethods {
                    direction: ind.direction,
                    unit: ind.unit.clone(),
                    transform: first(&chain, |c| c.transform).unwrap_or_default(),
                    outliers: first(&chain, |c| c.outliers).unwrap_or_default(),
                    normalise: first(&chain, |c| c.normalise).unwrap_or_default(),
                    impute: first(&chain, |c| c.impute.clone()).unwrap_or_default(),
                };
                check_normalise(&ind.id, &m.normalise)?;
                nodes[k].kind = NodeKind::Indicator(m);
                let level = self.spec.levels.iter().find(|l| l.level == 1);
                nodes[k].rules = NodeRules {
                    applies_to: ind.applies_to.clone(),
                    impute: None,
                    round: ind.round.or(level.and_then(|l| l.round)).or(defaults.round),
                };
            } else {
                let decl = self.aggs[k - n_ind];
                let level = self.spec.levels.iter().find(|l| l.level == nodes[k].level);
                let mut chain = vec![decl.aggregation()];
                chain.extend(level.map(|l| l.aggregation()));
                chain.push(defaults.aggregation());
                let m = AggregateMethods {
                    aggregate: first(&chain, |c| c.aggregate).unwrap_or_default(),
                    min_share: first(&chain, |c| c.min_share).unwrap_or(0.0),
                    rescale: first(&chain, |c| c.rescale).unwrap_or_default(),
                    weighting: first(&chain, |c| c.weighting).unwrap_or_default(),
                };
                nodes[k].rules = NodeRules {
                    applies_to: decl.applies_to.clone(),
                    impute: decl.impute_node.clone(),
                    round: first(&chain, |c| c.round),
                };
                if !(0.0..=1.0).contains(&m.min_share) {
                    return Err(SpecError::new(
                        Location::Node(decl.id.clone()),
                        format!("min_share {} is outside 0 to 1", m.min_share),
                        "min_share is a share of children, e.g. 0.5 for half",
                    ));
                }
                nodes[k].kind = NodeKind::Aggregate(m);
            }
        }
        Ok(())
    }
}

fn first<C, T>(chain: &[C], f: impl Fn(&C) -> Option<T>) -> Option<T> {
    chain.iter().find_map(f)
}

fn check_id(id: &str, loc: &Location) -> Result<(), SpecError> {
    let ok = !id.is_empty() && id.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c));
    if ok {
        Ok(())
    } else {
        Err(SpecError::new(
            loc.clone(),
            format!("the id `{id}` is empty or has characters other than letters, digits, _ - ."),
            "use a short code such as `rd_patents`",
        ))
    }
}

fn check_normalise(id: &str, n: &Normalise) -> Result<(), SpecError> {
    let bad = match *n {
        Normalise::Goalposts { best, worst, .. } => {
            best == worst || !best.is_finite() || !worst.is_finite()
        }
        Normalise::MinMax { low, high } => low >= high,
        Normalise::ZScore { sd, .. } => sd <= 0.0,
        _ => false,
    };
    if bad {
        return Err(SpecError::new(
            Location::Indicator(id.into()),
            format!("the normalisation `{n}` has an empty or inverted range"),
            "goalposts need best != worst; min_max needs low < high; z_score needs sd > 0",
        ));
    }
    Ok(())
}

/// Bottom-up levels: 1 for leaves, 1 + max child for aggregates; returns aggregates in build order.
fn assign_levels(nodes: &mut [Node], n_ind: usize) -> Vec<usize> {
    fn level(nodes: &mut [Node], k: usize) -> u32 {
        if nodes[k].level > 0 {
            return nodes[k].level;
        }
        let children = nodes[k].children.clone();
        let l = 1 + children.iter().map(|&c| level(nodes, c)).max().unwrap_or(0);
        nodes[k].level = l;
        l
    }
    for k in n_ind..nodes.len() {
        level(nodes, k);
    }
    let mut order: Vec<usize> = (n_ind..nodes.len()).collect();
    order.sort_by_key(|&k| (nodes[k].level, k));
    order
}

/// "did you mean" for a misspelt name.
///
/// Bounded for hostile input: a value longer than any id gets no edit distances (they cost
/// its length times each id's), and the list of known ids stops after [`SUGGEST_LIST`].
pub fn suggest(got: &str, known: &[&str], what: &str) -> String {
    let best = known
        .iter()
        .filter(|_| got.len() <= SUGGEST_MAX_LEN)
        .map(|k| (edit_distance(got, k), *k))
        .min()
        .filter(|(d, _)| *d <= (got.len() / 3).max(2));
    match best {
        Some((_, k)) => format!("did you mean {what} `{k}`?"),
        None if known.len() > SUGGEST_LIST => format!(
            "known: {}, ... ({} in all)",
            known[..SUGGEST_LIST].join(", "),
            known.len()
        ),
        None => format!("known: {}", known.join(", ")),
    }
}

/// Longest value [`suggest`] compares with the known ids.
const SUGGEST_MAX_LEN: usize = 256;
/// Most known ids [`suggest`] lists.
const SUGGEST_LIST: usize = 30;

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

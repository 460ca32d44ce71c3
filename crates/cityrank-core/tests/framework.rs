//! The tree checks: every inconsistency is an error that names the entry and the fix.

use crate::common::spec;
use cityrank_core::{Framework, Location, Spec};

fn err(s: &Spec) -> cityrank_core::SpecError {
    Framework::from_spec(s).expect_err("should be refused")
}

#[test]
fn a_valid_tree_has_levels_and_order() {
    let fw = Framework::from_spec(&spec("")).unwrap();
    assert_eq!(fw.n_indicators, 3);
    assert_eq!(fw.nodes[fw.root].level, 3);
    assert_eq!(fw.dimensions().len(), 2);
    assert_eq!(fw.bottom_up.last(), Some(&fw.root));
}

#[test]
fn orphan_parent_is_refused_with_a_suggestion() {
    let mut s = spec("");
    s.indicators[0].parent = "D3".into();
    let e = err(&s);
    assert_eq!(e.location, Location::Indicator("a".into()));
    assert!(e.message.contains("orphan"), "{}", e.message);
    assert!(e.hint.contains("D1") || e.hint.contains("D2"), "{}", e.hint);
}

#[test]
fn cycle_is_refused() {
    let mut s = spec("");
    s.nodes[0].parent = Some("D2".into());
    s.nodes[1].parent = Some("D1".into());
    let e = err(&s);
    assert!(e.message.contains("cycle"), "{}", e.message);
}

#[test]
fn duplicate_ids_are_refused() {
    let mut s = spec("");
    s.indicators[1].id = "a".into();
    assert!(err(&s).message.contains("used twice"));
}

#[test]
fn negative_and_all_zero_weights_are_refused() {
    let mut s = spec("");
    s.indicators[0].weight = Some(-1.0);
    assert!(err(&s).message.contains("non-negative"));
    let mut s = spec("");
    s.indicators[0].weight = Some(0.0);
    s.indicators[1].weight = Some(0.0);
    let e = err(&s);
    assert_eq!(e.location, Location::Node("D1".into()));
    assert!(e.message.contains("zero"));
}

#[test]
fn unknown_method_names_fail_when_the_spec_loads() {
    let text = "[meta]\nid='x'\nname='x'\n[units]\nfile='u'\n[defaults]\nnormalise = \"min_maxx\"\n[index]\nid='I'\nname='I'\n";
    let e = toml::from_str::<Spec>(text).expect_err("unknown variant");
    let msg = e.to_string();
    assert!(msg.contains("min_maxx") && msg.contains("min_max"), "{msg}");
    assert!(msg.contains("line 7"), "{msg}");
}

#[test]
fn unknown_keys_fail() {
    let text =
        "[meta]\nid='x'\nname='x'\n[units]\nfile='u'\n[index]\nid='I'\nname='I'\nwieght = 2\n";
    let msg = toml::from_str::<Spec>(text)
        .expect_err("unknown field")
        .to_string();
    assert!(msg.contains("wieght"), "{msg}");
}

#[test]
fn a_node_without_children_is_refused() {
    let text = "[[node]]\nid = \"D3\"\nparent = \"I\"\nname = \"Empty\"\n";
    let e = err(&spec(text));
    assert_eq!(e.location, Location::Node("D3".into()));
}

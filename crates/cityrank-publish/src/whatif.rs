//! What-if.

//! Tests of the what-if engine: one test binary, one module per subject.

mod hand;

//! The method and aggregation settings shared by several spec sections.
//!
//! serde cannot combine `flatten` with `deny_unknown_fields`, and rejecting unknown keys matters
//! more (a typo must not be ignored), so this macro writes the shared fields into each struct and
//! gives it accessors that gather them.

macro_rules! spec_struct {
    (@build [$($attrs:tt)*] $name:ident { $($fields:tt)* } [] [$($impls:tt)*]) => {
        $($attrs)*
        pub struct $name { $($fields)* }
        impl $name { $($impls)* }
    };
    (@build $attrs:tt $name:ident { $($fields:tt)* } [methods $($rest:ident)*] [$($impls:tt)*]) => {
        spec_struct!(@build $attrs $name { $($fields)*
            #[serde(default, deserialize_with = "shorthand", skip_serializing_if = "Option::is_none")]
            pub transform: Option<Transform>,
            #[serde(default, deserialize_with = "shorthand", skip_serializing_if = "Option::is_none")]
            pub outliers: Option<Outliers>,
            #[serde(default, deserialize_with = "shorthand", skip_serializing_if = "Option::is_none")]
            pub normalise: Option<Normalise>,
            #[serde(default, deserialize_with = "shorthand", skip_serializing_if = "Option::is_none")]
            pub impute: Option<Impute>,
        } [$($rest)*] [$($impls)*
            /// The indicator methods set here (unset ones are inherited).
            pub fn methods(&self) -> MethodOverrides {
                MethodOverrides {
                    transform: self.transform,
                    outliers: self.outliers,
                    normalise: self.normalise,
                    impute: self.impute.clone(),
                }
            }
        ]);
    };
    (@build $attrs:tt $name:ident { $($fields:tt)* } [aggregation $($rest:ident)*] [$($impls:tt)*]) => {
        spec_struct!(@build $attrs $name { $($fields)*
            #[serde(default, deserialize_with = "shorthand", skip_serializing_if = "Option::is_none")]
            pub aggregate: Option<Aggregate>,
            /// Minimum share of children (by count) that must have a score for the node to be scored.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub min_share: Option<f64>,
            #[serde(default, deserialize_with = "shorthand", skip_serializing_if = "Option::is_none")]
            pub rescale: Option<Rescale>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub weighting: Option<Weighting>,
            /// Decimals this node's scores are rounded to before its parent uses them.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub round: Option<u32>,
        } [$($rest)*] [$($impls)*
            /// The aggregation settings set here (unset ones are inherited).
            pub fn aggregation(&self) -> AggregationOverrides {
                AggregationOverrides {
                    aggregate: self.aggregate,
                    min_share: self.min_share,
                    rescale: self.rescale,
                    weighting: self.weighting,
                    round: self.round,
                }
            }
        ]);
    };
    ($(#[$m:meta])* pub struct $name:ident { $($body:tt)* } with [$($g:ident)*]) => {
        spec_struct!(@build [$(#[$m])*] $name { $($body)* } [$($g)*] []);
    };
}

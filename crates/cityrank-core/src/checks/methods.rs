//! Parameter ranges and required parameters of every method, checked on the resolved settings.

use super::within;
use crate::error::{Location, SpecError};
use crate::framework::{AggregateMethods, IndicatorMethods};
use crate::spec::Transform;
use crate::spec::{Aggregate, Direction, Impute, Normalise, Outliers, Preference, Rescale, Spec};

/// The methods resolved onto one indicator (they may be inherited from a node or `[defaults]`).
pub fn indicator(id: &str, m: &IndicatorMethods, spec: &Spec) -> Result<(), SpecError> {
    let err = |msg: String, hint: &str| {
        Err(SpecError::new(
            Location::Indicator(id.into()),
            msg,
            hint.to_string(),
        ))
    };
    match m.transform {
        Transform::LogShift { a } if !a.is_finite() => {
            return err(
                format!("log_shift a = {a} is not a finite number"),
                "give a finite shift, e.g. `a = 1`",
            );
        }
        Transform::BoxCox { lambda } if !lambda.is_finite() => {
            return err(
                format!("box_cox lambda = {lambda} is not a finite number"),
                "give a finite lambda, e.g. `lambda = 0.5`",
            );
        }
        _ => {}
    }
    if let Outliers::SkewKurt {
        max_skew, max_kurt, ..
    } = m.outliers
    {
        if !(max_skew.is_finite() && max_skew > 0.0 && max_kurt.is_finite()) {
            return err(
                format!("skew_kurt max_skew = {max_skew}, max_kurt = {max_kurt}: the bounds must be finite and max_skew > 0"),
                "the COINr defaults are max_skew = 2, max_kurt = 3.5",
            );
        }
    }
    normalise(id, m.normalise, m.direction)?;
    if let Impute::GroupMean { group } | Impute::GroupMedian { group } = &m.impute {
        if !spec.units.groups.contains(group) {
            let known = if spec.units.groups.is_empty() {
                "declare the column in `[units] groups = [...]`".to_string()
            } else {
                format!(
                    "declared groups: {}; or add `{group}` to `[units] groups`",
                    spec.units.groups.join(", ")
                )
            };
            return err(
                format!("{} imputes by group `{group}`, which `[units] groups` does not declare, so it would impute nothing", group_method(&m.impute)),
                &known,
            );
        }
    }
    Ok(())
}

fn group_method(m: &Impute) -> &'static str {
    match m {
        Impute::GroupMedian { .. } => "group_median",
        _ => "group_mean",
    }
}

fn normalise(id: &str, n: Normalise, direction: Direction) -> Result<(), SpecError> {
    let err = |msg: String, hint: &str| {
        Err(SpecError::new(
            Location::Indicator(id.into()),
            msg,
            hint.to_string(),
        ))
    };
    let positive = |x: f64| x.is_finite() && x > 0.0;
    match n {
        Normalise::MinMax { low, high } if !(low.is_finite() && high.is_finite()) => err(
            format!("min_max onto [{low}, {high}] is not a finite range"),
            "use finite bounds with low < high, e.g. low = 0, high = 100",
        ),
        Normalise::Goalposts { scale, .. } if !positive(scale) => err(
            format!("goalposts scale = {scale} must be a finite number > 0"),
            "use e.g. `scale = 100`",
        ),
        Normalise::Goalposts { best, worst, .. } if (best < worst) != (direction == Direction::Lower) => {
            let said = match direction {
                Direction::Higher => "higher",
                Direction::Lower => "lower",
            };
            let implied = if best < worst { "lower" } else { "higher" };
            err(
                format!("the goalposts (best {best}, worst {worst}) say {implied} is better, but the indicator says `direction = \"{said}\"`"),
                &format!("set `direction = \"{implied}\"` on the indicator, or swap best and worst"),
            )
        }
        Normalise::ZScore { mean, sd, .. } if !(mean.is_finite() && positive(sd)) => err(
            format!("z_score mean = {mean}, sd = {sd}: the mean must be finite and sd > 0"),
            "use e.g. mean = 0, sd = 1 (or mean = 50, sd = 10)",
        ),
        Normalise::Percentile { scale, .. } if !positive(scale) => err(
            format!("percentile scale = {scale} must be a finite number > 0"),
            "use e.g. `scale = 100`",
        ),
        Normalise::DistanceToTarget { target, scale, .. } if !(target.is_finite() && positive(scale)) => err(
            format!("distance_to_target target = {target}, scale = {scale}: the target must be finite and the scale > 0"),
            "give the target in raw units, e.g. `target = 100`, and `scale = 100`",
        ),
        _ => Ok(()),
    }
}

/// The aggregation settings resolved onto one node (from it, its `[[level]]` or `[defaults]`);
/// `children` are the node's child ids.
pub fn aggregate(id: &str, m: &AggregateMethods, children: &[&str]) -> Result<(), SpecError> {
    let err = |msg: String, hint: &str| {
        Err(SpecError::new(
            Location::Node(id.into()),
            format!("{msg} (set on the node, its [[level]] or [defaults])"),
            hint.to_string(),
        ))
    };
    match m.aggregate {
        Aggregate::Vikor { v } if !within(v, 0.0, 1.0) => {
            return err(format!("vikor v = {v} is outside 0 to 1"), "v weighs group utility against individual regret: use a value in [0, 1], usually 0.5");
        }
        Aggregate::GreyRelational { rho } if !(within(rho, 0.0, 1.0) && rho > 0.0) => {
            return err(
                format!("grey_relational rho = {rho} is outside (0, 1]"),
                "the distinguishing coefficient must be > 0 and <= 1, usually 0.5",
            );
        }
        Aggregate::PrometheeIi {
            preference,
            q,
            p,
            s,
            criteria,
        } => {
            if let Some((msg, hint)) = promethee(preference, q, p, s) {
                return err(msg, &hint);
            }
            for (child, t) in criteria.0 {
                if let Some((msg, hint)) = promethee(t.preference, t.q, t.p, t.s) {
                    return err(format!("criteria.{child}: {msg}"), &hint);
                }
                if !children.contains(child) {
                    return err(
                        format!("promethee_ii criteria name `{child}`, which is not a child of this node"),
                        &format!("set `criteria` on the node whose children they are; this node's children are: {}", children.join(", ")),
                    );
                }
            }
        }
        Aggregate::GeneralisedMean { p } if !(p.is_finite() && p != 0.0) => {
            return err(
                format!("generalised_mean p = {p} must be a finite number other than 0"),
                "p = 1 is the arithmetic mean, p = -1 the harmonic; for p = 0 (the limit) use `aggregate = \"geometric\"`",
            );
        }
        _ => {}
    }
    match m.rescale {
        Rescale::Leader { scale } if !(scale.is_finite() && scale > 0.0) => err(
            format!("rescale leader scale = {scale} must be a finite number > 0 (a negative scale inverts the ranking)"),
            "use e.g. `rescale = { method = \"leader\", scale = 100 }`",
        ),
        Rescale::MinMax { low, high } if !(low.is_finite() && high.is_finite() && low < high) => err(
            format!("rescale min_max onto [{low}, {high}] is empty or inverted (an inverted range inverts the ranking)"),
            "use finite bounds with low < high, e.g. low = 0, high = 100",
        ),
        _ => Ok(()),
    }
}

/// The thresholds each PROMETHEE preference function needs, and no others.
fn promethee(kind: Preference, q: f64, p: f64, s: f64) -> Option<(String, String)> {
    let name = match kind {
        Preference::Usual => "usual",
        Preference::UShape => "u_shape",
        Preference::VShape => "v_shape",
        Preference::Level => "level",
        Preference::Linear => "linear",
        Preference::Gaussian => "gaussian",
    };
    for (k, v) in [("q", q), ("p", p), ("s", s)] {
        if !(v.is_finite() && v >= 0.0) {
            return Some((
                format!("promethee_ii {k} = {v} must be a finite number >= 0"),
                "thresholds are differences of child scores, e.g. q = 5, p = 20".into(),
            ));
        }
    }
    let (uses_q, uses_p, uses_s) = match kind {
        Preference::Usual => (false, false, false),
        Preference::UShape => (true, false, false),
        Preference::VShape => (false, true, false),
        Preference::Level | Preference::Linear => (true, true, false),
        Preference::Gaussian => (false, false, true),
    };
    let needs = |k: &str, what: &str| {
        Some((
            format!("the `{name}` preference function needs {k} > 0 ({what}); without it the criterion would act as `usual`"),
            format!("add `{k} = ...` in child-score units, or use `preference = \"usual\"`"),
        ))
    };
    if uses_q && !uses_p && q <= 0.0 {
        return needs("q", "the indifference threshold");
    }
    if uses_p && p <= 0.0 {
        return needs("p", "the strict preference threshold");
    }
    if uses_s && s <= 0.0 {
        return needs("s", "the Gaussian parameter");
    }
    if uses_q && uses_p && q >= p {
        return Some((
            format!("promethee_ii q = {q} is not below p = {p}: indifference must end before strict preference starts"),
            "use q < p, e.g. q = 5, p = 20".into(),
        ));
    }
    for (k, v, used) in [("q", q, uses_q), ("p", p, uses_p), ("s", s, uses_s)] {
        if v != 0.0 && !used {
            return Some((
                format!("the `{name}` preference function has no parameter {k}, but {k} = {v} is set"),
                format!("remove `{k}`, or choose a preference function that uses it (u_shape: q; v_shape: p; level, linear: q and p; gaussian: s)"),
            ));
        }
    }
    None
}

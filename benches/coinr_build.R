# Times COINr's full build of its ASEM example (51 units x 49 indicators, 4 levels):
# denominate, screen, impute, treat, normalise, aggregate, as build_example_coin() does.
suppressPackageStartupMessages(library(COINr))
invisible(build_example_coin(quietly = TRUE))
n <- 20
t <- system.time(for (i in seq_len(n)) invisible(build_example_coin(quietly = TRUE)))[["elapsed"]]
cat(sprintf("%-60s %10.3f ms per build (%d builds)\n", "COINr build_example_coin (ASEM, 51 x 49)", 1000 * t / n, n))

# COINr's get_sensitivity (uncertainty analysis, SA_type = "UA") timed per replication, as the
# peer of `cityrank uncertainty` in benches/run.sh.
#
#   Rscript benches/coinr_uncertainty.R ASEM_DATA_DIR RUN_2020_OUT_DIR N
#
# ASEM: new_coin -> min-max [1, 100] -> Aggregate; assumptions: weights x U[0.75, 1.25] at the
# indicator, pillar and sub-index levels (get_noisy_weights) and the mean (a_amean or a_gmean at
# every level). 2020 example: the indicator scores that `cityrank run` wrote, new_coin ->
# Aggregate (a_amean); weights x U[0.75, 1.25] at the indicator and dimension levels (COINr has
# no leader rescaling, so its per-replication work is, if anything, less).
# Prints one line per case: seconds per replication.
suppressPackageStartupMessages(library(COINr))
args <- commandArgs(trailingOnly = TRUE)
asem_dir <- args[1]
run2020 <- args[2]
N <- if (length(args) >= 3) as.integer(args[3]) else 20

time_ua <- function(coin, specs, iCode = "Index") {
  t <- system.time(invisible(get_sensitivity(coin, SA_specs = specs, N = N, SA_type = "UA",
                                             dset = "Aggregated", iCode = iCode, quietly = TRUE)))
  t[["elapsed"]] / N
}

# ASEM
iData <- read.csv(file.path(asem_dir, "ASEM_iData.csv"), na.strings = c("", "NA"), stringsAsFactors = FALSE)
iMeta <- read.csv(file.path(asem_dir, "ASEM_iMeta.csv"), na.strings = c("", "NA"), stringsAsFactors = FALSE)
coin <- suppressMessages(new_coin(iData, iMeta, quietly = TRUE))
coin <- suppressMessages(Normalise(coin, dset = "Raw", global_specs = list(f_n = "n_minmax", f_n_para = list(l_u = c(1, 100)))))
coin <- suppressMessages(Aggregate(coin, dset = "Normalised", f_ag = "a_amean"))
set.seed(1)
w <- get_noisy_weights(w = coin$Meta$Weights$Original,
                       noise_specs = data.frame(Level = 1:3, NoiseFactor = 0.25), Nrep = 1000)
specs <- list(
  Weights = list(Address = "$Log$Aggregate$w", Distribution = w, Type = "discrete"),
  Aggregation = list(Address = "$Log$Aggregate$f_ag", Distribution = c("a_amean", "a_gmean"), Type = "discrete"))
a <- time_ua(coin, specs)
cat(sprintf("coinr asem %.6f s per replication (N = %d)\n", a, N))

# 2020 example: indicator scores of the ranked cities from `cityrank run`
sc <- read.csv(file.path(run2020, "scores.csv"), stringsAsFactors = FALSE, colClasses = c(unit = "character"))
wt <- read.csv(file.path(run2020, "weights.csv"), stringsAsFactors = FALSE, na.strings = c("", "NA"))
root <- wt$node[is.na(wt$parent)]
ranked <- sc$unit[sc$node == root & !is.na(sc$rank)]
ind <- wt$node[wt$level == 1]
l1 <- sc[sc$level == 1 & sc$unit %in% ranked, ]
iData2 <- data.frame(uCode = paste0("c", ranked), uName = paste0("c", ranked), stringsAsFactors = FALSE)
for (k in ind) {
  v <- l1[l1$node == k, ]
  iData2[[k]] <- v$score[match(ranked, v$unit)]
}
iMeta2 <- data.frame(Level = wt$level, iCode = wt$node, iName = wt$node, Direction = 1,
                     Weight = 1, Parent = wt$parent,
                     Type = ifelse(wt$level == 1, "Indicator", "Aggregate"), stringsAsFactors = FALSE)
iMeta2 <- iMeta2[order(iMeta2$Level), ]
coin2 <- suppressMessages(new_coin(iData2, iMeta2, quietly = TRUE))
coin2 <- suppressMessages(Aggregate(coin2, dset = "Raw", f_ag = "a_amean"))
w2 <- get_noisy_weights(w = coin2$Meta$Weights$Original,
                        noise_specs = data.frame(Level = 1:2, NoiseFactor = 0.25), Nrep = 1000)
specs2 <- list(Weights = list(Address = "$Log$Aggregate$w", Distribution = w2, Type = "discrete"))
b <- time_ua(coin2, specs2, iCode = root)
cat(sprintf("coinr 2020 %.6f s per replication (N = %d)\n", b, N))

# Randomization inference with estimatr: re-draw the blocked assignment and refit
# lm_robust(y ~ z + x1 + x2, fixed_effects = ~block) each time, as a script built on estimatr does.
# Usage: Rscript ri_estimatr.R DATA.csv PERMUTATIONS SEED
suppressPackageStartupMessages(library(estimatr))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
perms <- as.integer(args[2]); set.seed(as.integer(args[3]))
t0 <- proc.time()[["elapsed"]]
fit <- function(d) coef(lm_robust(y ~ z + x1 + x2, fixed_effects = ~block, data = d))[["z"]]
obs <- fit(d)
n <- nrow(d)
zsorted <- d$z[order(d$block)]
sims <- numeric(perms)
for (i in seq_len(perms)) {
  o <- order(d$block, runif(n))
  znew <- numeric(n); znew[o] <- zsorted
  d$z <- znew
  sims[i] <- fit(d)
}
p <- mean(abs(sims) >= abs(obs) - 1.5e-8 * max(1, abs(obs)))
cat(sprintf('{"estimate": %.10g, "p_value": %.6g, "permutations": %d, "seconds_compute": %.4f}\n',
            obs, p, perms, proc.time()[["elapsed"]] - t0))

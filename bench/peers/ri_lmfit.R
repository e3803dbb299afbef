# Randomization inference by hand in base R: re-draw the blocked assignment (complete randomisation
# within block, the design's own procedure) and refit y ~ z + x1 + x2 + block indicators, comparing
# |beta_z|. The block indicators are absorbed once by demeaning within block (Frisch-Waugh-Lovell; a
# within-block re-draw leaves each block's mean of z unchanged), so each refit is lm.fit on 3 columns:
# the fast way to script it (lm.fit with 1,250 dummy columns at N = 20,000 would take hours).
# Usage: Rscript ri_lmfit.R DATA.csv PERMUTATIONS SEED
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
perms <- as.integer(args[2]); set.seed(as.integer(args[3]))
t0 <- proc.time()[["elapsed"]]
within <- function(v) v - ave(v, d$block)
zmean <- ave(d$z, d$block)
X <- cbind(d$z - zmean, within(d$x1), within(d$x2))
y <- within(d$y)
obs <- lm.fit(X, y)$coefficients[1]
n <- nrow(d)
zsorted <- d$z[order(d$block)]
sims <- numeric(perms)
for (i in seq_len(perms)) {
  o <- order(d$block, runif(n))   # units grouped by block, in random order within block
  znew <- numeric(n); znew[o] <- zsorted
  X[, 1] <- znew - zmean
  sims[i] <- lm.fit(X, y)$coefficients[1]
}
p <- mean(abs(sims) >= abs(obs) - 1.5e-8 * max(1, abs(obs)))
cat(sprintf('{"estimate": %.10g, "p_value": %.6g, "permutations": %d, "seconds_compute": %.4f}\n',
            obs, p, perms, proc.time()[["elapsed"]] - t0))

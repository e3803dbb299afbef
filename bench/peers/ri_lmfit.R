# Randomization inference by hand in base R: re-draw the blocked assignment (complete randomisation
# within block, the design's own procedure), refit OLS y ~ z + x1 + x2 with lm.fit, compare |beta_z|.
# Usage: Rscript ri_lmfit.R DATA.csv PERMUTATIONS SEED
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
perms <- as.integer(args[2]); set.seed(as.integer(args[3]))
t0 <- proc.time()[["elapsed"]]
X <- cbind(1, d$z, d$x1, d$x2)
y <- d$y
obs <- lm.fit(X, y)$coefficients[2]
n <- nrow(d)
byblock <- order(d$block)
zsorted <- d$z[byblock]
sims <- numeric(perms)
for (i in seq_len(perms)) {
  o <- order(d$block, runif(n))   # units grouped by block, in random order within block
  znew <- numeric(n); znew[o] <- zsorted
  X[, 2] <- znew
  sims[i] <- lm.fit(X, y)$coefficients[2]
}
p <- mean(abs(sims) >= abs(obs) - 1e-12)
cat(sprintf('{"estimate": %.10g, "p_value": %.6g, "permutations": %d, "seconds_compute": %.4f}\n',
            obs, p, perms, proc.time()[["elapsed"]] - t0))

# The full effect table of the reference design scripted in R with estimatr: for each wave and each of
# the 17 outcomes, Lin's estimator with the strata absorbed as fixed effects (the design's analysis:
# estimator lin, strata_fixed_effects) and HC2 standard errors. estimatr's lm_lin takes no fixed effects,
# so it is written out: lm_robust(y ~ z * (centred covariates), fixed_effects = ~stratum, se_type = "HC2").
# Randomization-inference p-values from re-drawing the assignment within strata (one set of draws shared
# by all outcomes of a wave; statistic: the OLS coefficient of z with covariates and stratum indicators,
# as `rct ri --statistic ols`, refitted with lm.fit); sharpened two-stage q-values (Anderson 2008) within
# family and wave.
# With PERMUTATIONS = 0 only the estimates and HC2 standard errors are computed (no RI, no q-values):
# the like-for-like comparison with `rct estimate`.
# Usage: Rscript effects_estimatr.R EFFECTS_m6.csv EFFECTS_m12.csv PERMUTATIONS SEED OUT.csv
suppressPackageStartupMessages(library(estimatr))
args <- commandArgs(trailingOnly = TRUE)
perms <- as.integer(args[3]); set.seed(as.integer(args[4]))
outcomes <- c("leefloon", "supplementary_aid", "supplementary_one_off", "supplementary_structural",
  "supplementary_price_reduction", "supplementary_amount", "medical_card", "budget_guidance",
  "employment_programme", "art60_employment", "job_seeker_months", "knows_rights", "services_fit",
  "material_aid", "household_income", "social_housing", "regular_employment")
family <- c(rep("financial_support", 8), rep("employment", 3), rep("rights_and_services", 3),
  rep("living_conditions", 3))

sharpened_q <- function(p) {   # Benjamini, Krieger & Yekutieli (2006) as in Anderson's (2008) code
  m <- length(p); o <- order(p); ps <- p[o]; rank <- seq_len(m); q <- rep(1, m)
  for (k in 1000:1) {
    qv <- k / 1000; q1 <- qv / (1 + qv)
    r1 <- max(c(0, rank[ps <= q1 * rank / m]))
    q2 <- q1 * m / (m - r1)
    r2 <- max(c(0, rank[ps <= q2 * rank / m]))
    q[rank <= r2] <- qv
  }
  out <- numeric(m); out[o] <- q; out
}

t0 <- proc.time()[["elapsed"]]
result <- list()
for (w in 1:2) {
  d <- read.csv(args[w], colClasses = c(stratum = "character"))
  wave <- d$wave[1]
  for (x in c("domains_weak", "single_parent", "leefloon_before")) d[[paste0(x, "_c")]] <- d[[x]] - mean(d[[x]])
  rows <- lapply(outcomes, function(y) {
    fit <- lm_robust(as.formula(paste(y, "~ z * (domains_weak_c + single_parent_c + leefloon_before_c)")),
                     fixed_effects = ~ stratum, data = d, se_type = "HC2")
    tab <- tidy(fit)
    tab[tab$term == "z", c("estimate", "std.error", "p.value", "conf.low", "conf.high")]
  })
  tab <- do.call(rbind, rows)
  # Randomization inference, statistic as `rct ri --statistic ols`: the coefficient of z in OLS with the
  # covariates and stratum indicators, refitted by lm.fit for all outcomes at once.
  Xc <- as.matrix(d[, c("domains_weak_c", "single_parent_c", "leefloon_before_c")])
  S <- model.matrix(~ stratum, d)[, -1, drop = FALSE]
  Y <- as.matrix(d[, outcomes])
  design <- function(z) cbind(1, z, Xc, S)
  obs <- lm.fit(design(d$z), Y)$coefficients[2, ]
  n <- nrow(d); zsorted <- d$z[order(d$stratum)]
  if (perms == 0) {
    tab$p.ri <- NA_real_; tab$q.sharpened <- NA_real_
    result[[w]] <- cbind(wave = wave, outcome = outcomes, family = family, tab)
    next
  }
  exceed <- numeric(length(outcomes))
  for (i in seq_len(perms)) {
    o <- order(d$stratum, runif(n)); znew <- numeric(n); znew[o] <- zsorted
    sims <- lm.fit(design(znew), Y)$coefficients[2, ]
    exceed <- exceed + (abs(sims) >= abs(obs) - 1e-12)
  }
  tab$p.ri <- exceed / perms
  tab$q.sharpened <- NA_real_
  for (f in unique(family)) tab$q.sharpened[family == f] <- sharpened_q(tab$p.ri[family == f])
  result[[w]] <- cbind(wave = wave, outcome = outcomes, family = family, tab)
}
table <- do.call(rbind, result)
write.csv(table, args[5], row.names = FALSE)
first <- table[1, ]
if (perms == 0) {
  cat(sprintf('{"rows": %d, "estimate": %.10g, "std_error": %.10g, "p_value": %.6g, "seconds_compute": %.4f}\n',
    nrow(table), first$estimate, first$std.error, first$p.value, proc.time()[["elapsed"]] - t0))
} else {
  cat(sprintf('{"rows": %d, "estimate": %.10g, "std_error": %.10g, "p_value": %.6g, "q_value": %.4g, "permutations": %d, "seconds_compute": %.4f}\n',
    nrow(table), first$estimate, first$std.error, first$p.ri, first$q.sharpened, perms,
    proc.time()[["elapsed"]] - t0))
}

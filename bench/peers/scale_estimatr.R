# Estimation at scale with estimatr: y ~ z + x1..x20, strata absorbed (fixed_effects = ~stratum), with HC2
# or, clustered by caseworker, CR2 (the Bell-McCaffrey small-sample correction and its degrees of freedom).
# Prints one JSON line: the treatment estimate, its standard error, the degrees of freedom and the time of
# the work without R's start-up. Usage: Rscript scale_estimatr.R FILE hc2|cr2
suppressPackageStartupMessages({ library(estimatr); library(data.table) })
args <- commandArgs(trailingOnly = TRUE)
t0 <- Sys.time()
d <- fread(args[1])
covariates <- grep("^x[0-9]+$", names(d), value = TRUE)
f <- as.formula(paste("y ~ z +", paste(covariates, collapse = " + ")))
fit <- if (args[2] == "cr2") {
  lm_robust(f, data = d, fixed_effects = ~stratum, clusters = cluster, se_type = "CR2")
} else {
  lm_robust(f, data = d, fixed_effects = ~stratum, se_type = "HC2")
}
seconds <- as.numeric(difftime(Sys.time(), t0, units = "secs"))
cat(sprintf('{"estimate": %.12g, "std_error": %.12g, "df": %.12g, "n_obs": %d, "seconds_compute": %.4f}\n',
            fit$coefficients[["z"]], fit$std.error[["z"]], fit$df[["z"]], nrow(d), seconds))

# The 6- and 12-month follow-up panel with R data.table: the same derivations as panel_polars.py
# (months 1-6 and 7-12 after each family's own assignment DAY, the project's definition, docs/panel.md:
# family month k is [B(k-1), B(k) - 1] with B(j) the assignment date plus j months; a VDAB status of
# calendar month base + r covers family month r + 1 and, when the assignment day D > 1, month r too; an
# OCMW decision on day s of calendar month base + m is in family month m + 1 when s >= min(D, days in its
# month), else in month m; families without records get 0).
# Usage: Rscript panel_datatable.R FAMILIES.csv VDAB.csv OCMW.csv OUT.csv
suppressPackageStartupMessages(library(data.table))
args <- commandArgs(trailingOnly = TRUE)
t0 <- proc.time()[["elapsed"]]
fam <- fread(args[1], colClasses = c(assignment_date = "character"))
fam[, `:=`(base = as.integer(substr(assignment_date, 1, 4)) * 12L + as.integer(substr(assignment_date, 6, 7)),
           aday = as.integer(substr(assignment_date, 9, 10)))]
wave_of <- function(k) fifelse(k <= 6L, "m6", "m12")
v <- fread(args[2], sep = "|", colClasses = c(maand = "character", categorie = "character", trajectstatus = "character"))
v <- fam[, .(pseudonym, family_id, base, aday)][v, on = "pseudonym", nomatch = NULL]
v[, `:=`(r = as.integer(substr(maand, 1, 4)) * 12L + as.integer(substr(maand, 5, 6)) - base,
         prog = trajectstatus %in% c("training", "trajectory"), js = categorie %in% c("00", "02", "04", "05"))]
vk <- rbind(v[, .(family_id, k = r + 1L, prog, js)], v[aday > 1L, .(family_id, k = r, prog, js)])
vk <- vk[k >= 1L & k <= 12L, .(prog = any(prog), js = any(js)), by = .(family_id, k)]
va <- vk[, .(employment_programme = any(prog), job_seeker_months = sum(js) / 6), by = .(family_id, wave = wave_of(k))]
o <- fread(args[3], sep = ";", dec = ",", colClasses = c(begindatum = "character", bedrag = "numeric"))
o <- fam[, .(pseudonym, family_id, base, aday)][o, on = "pseudonym", nomatch = NULL]
o[, `:=`(sd = as.integer(substr(begindatum, 1, 2)), sm = as.integer(substr(begindatum, 4, 5)),
         sy = as.integer(substr(begindatum, 7, 10)))]
o[, dim := c(31L, 28L, 31L, 30L, 31L, 30L, 31L, 31L, 30L, 31L, 30L, 31L)[sm] +
      (sm == 2L & ((sy %% 4L == 0L & sy %% 100L != 0L) | sy %% 400L == 0L))]
o[, k := sy * 12L + sm - base + as.integer(sd >= pmin(aday, dim))]
o[, supp := startsWith(soort_steun, "supplementary_")]
oa <- o[k >= 1L & k <= 12L, .(supplementary_aid = any(supp), supplementary_amount = sum(bedrag[supp]),
                               medical_card = any(soort_steun == "medical_card"),
                               budget_guidance = any(soort_steun %in% c("budget_guidance", "budget_management", "debt_mediation")),
                               art60_employment = any(soort_steun == "art60")), by = .(family_id, wave = wave_of(k))]
panel <- fam[, .(family_id = rep(family_id, each = 2L), z = rep(z, each = 2L), wave = rep(c("m6", "m12"), .N))]
panel <- va[panel, on = .(family_id, wave)]
panel <- oa[panel, on = .(family_id, wave)]
for (col in c("employment_programme", "supplementary_aid", "medical_card", "budget_guidance", "art60_employment"))
  set(panel, j = col, value = as.integer(fcoalesce(panel[[col]], FALSE)))
for (col in c("job_seeker_months", "supplementary_amount")) set(panel, j = col, value = fcoalesce(panel[[col]], 0))
setcolorder(panel, c("family_id", "z", "wave", "employment_programme", "job_seeker_months", "supplementary_aid",
                     "supplementary_amount", "medical_card", "budget_guidance", "art60_employment"))
fwrite(panel, args[4])
cat(sprintf('{"rows": %d, "sums": {"employment_programme": %d, "job_seeker_months": %.4f, "supplementary_aid": %d, "supplementary_amount": %.4f, "medical_card": %d, "budget_guidance": %d, "art60_employment": %d}, "seconds_compute": %.4f}\n',
  nrow(panel), sum(panel$employment_programme), sum(panel$job_seeker_months), sum(panel$supplementary_aid),
  sum(panel$supplementary_amount), sum(panel$medical_card), sum(panel$budget_guidance), sum(panel$art60_employment),
  proc.time()[["elapsed"]] - t0))

# The 6- and 12-month follow-up panel with R data.table: the same derivations as panel_polars.py
# (months 1-6 and 7-12 after each family's own assignment month; families without records get 0).
# Usage: Rscript panel_datatable.R FAMILIES.csv VDAB.csv OCMW.csv OUT.csv
suppressPackageStartupMessages(library(data.table))
args <- commandArgs(trailingOnly = TRUE)
t0 <- proc.time()[["elapsed"]]
fam <- fread(args[1], colClasses = c(assignment_date = "character"))
fam[, base := as.integer(substr(assignment_date, 1, 4)) * 12L + as.integer(substr(assignment_date, 6, 7))]
wave_of <- function(rel) fifelse(rel >= 1L & rel <= 6L, "m6", fifelse(rel >= 7L & rel <= 12L, "m12", NA_character_))
v <- fread(args[2], sep = "|", colClasses = c(maand = "character", categorie = "character", trajectstatus = "character"))
v <- fam[, .(pseudonym, family_id, base)][v, on = "pseudonym", nomatch = NULL]
v[, wave := wave_of(as.integer(substr(maand, 1, 4)) * 12L + as.integer(substr(maand, 5, 6)) - base)]
va <- v[!is.na(wave), .(employment_programme = any(trajectstatus %in% c("training", "trajectory")),
                        job_seeker_months = sum(categorie %in% c("00", "02", "04", "05")) / 6),
        by = .(family_id, wave)]
o <- fread(args[3], sep = ";", dec = ",", colClasses = c(begindatum = "character", bedrag = "numeric"))
o <- fam[, .(pseudonym, family_id, base)][o, on = "pseudonym", nomatch = NULL]
o[, wave := wave_of(as.integer(substr(begindatum, 7, 10)) * 12L + as.integer(substr(begindatum, 4, 5)) - base)]
o[, supp := startsWith(soort_steun, "supplementary_")]
oa <- o[!is.na(wave), .(supplementary_aid = any(supp), supplementary_amount = sum(bedrag[supp]),
                        medical_card = any(soort_steun == "medical_card"),
                        budget_guidance = any(soort_steun %in% c("budget_guidance", "budget_management", "debt_mediation")),
                        art60_employment = any(soort_steun == "art60")), by = .(family_id, wave)]
panel <- fam[, .(family_id = rep(family_id, each = 2L), z = rep(z, each = 2L), wave = rep(c("m6", "m12"), .N))]
panel <- va[panel, on = .(family_id, wave)]
panel <- oa[panel, on = .(family_id, wave)]
for (col in c("employment_programme", "supplementary_aid", "medical_card", "budget_guidance", "art60_employment"))
  set(panel, j = col, value = as.integer(fcoalesce(panel[[col]], FALSE)))
for (col in c("job_seeker_months", "supplementary_amount")) set(panel, j = col, value = fcoalesce(panel[[col]], 0))
setcolorder(panel, c("family_id", "z", "wave", "employment_programme", "job_seeker_months", "supplementary_aid",
                     "supplementary_amount", "medical_card", "budget_guidance", "art60_employment"))
fwrite(panel, args[4])
cat(sprintf('{"rows": %d, "sums": {"employment_programme": %d, "job_seeker_months": %.4f, "supplementary_aid": %d, "supplementary_amount": %.4f}, "seconds_compute": %.4f}\n',
  nrow(panel), sum(panel$employment_programme), sum(panel$job_seeker_months), sum(panel$supplementary_aid),
  sum(panel$supplementary_amount), proc.time()[["elapsed"]] - t0))

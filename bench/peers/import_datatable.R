# Import of a VDAB month-status extract with R data.table: fread (semicolon; amounts with a thousands
# point and a decimal comma, which fread's dec cannot combine, parsed with gsub), validate
# the national numbers with vectorised string arithmetic over the distinct numbers, keyed pseudonyms with
# openssl's vectorised HMAC-SHA-256, join back, check the months.
# Usage: Rscript import_datatable.R EXTRACT.csv KEYFILE
suppressPackageStartupMessages({ library(data.table); library(openssl) })
args <- commandArgs(trailingOnly = TRUE)
t0 <- proc.time()[["elapsed"]]
key <- trimws(readLines(args[2], warn = FALSE)[1])
d <- fread(args[1], sep = ";", colClasses = c(insz = "character", maand = "character",
           categorie = "character", trajectstatus = "character", uitkering = "character"))
d[, uitkering := as.numeric(sub(",", ".", gsub(".", "", uitkering, fixed = TRUE), fixed = TRUE))]
u <- unique(d$insz)
digits <- gsub("[-. ]", "", u)
ok <- grepl("^[0-9]{11}$", digits)
nine <- suppressWarnings(as.numeric(substr(digits, 1, 9)))
check <- suppressWarnings(as.integer(substr(digits, 10, 11)))
month <- suppressWarnings(as.integer(substr(digits, 3, 4)))
day <- suppressWarnings(as.integer(substr(digits, 5, 6)))
ok <- ok & (month <= 12 | (month >= 20 & month <= 32) | (month >= 40 & month <= 52)) & day <= 31 &
  ((97 - nine %% 97) == check | (97 - (2e9 + nine) %% 97) == check)
ok[is.na(ok)] <- FALSE
ps <- rep(NA_character_, length(u))
ps[ok] <- paste0("P", substr(as.character(sha256(paste0("rct-pseudonym-v1:", digits[ok]), key = key)), 1, 32))
d <- data.table(insz = u, pseudonym = ps)[d, on = "insz"]
m <- suppressWarnings(as.integer(d$maand))
valid <- !is.na(d$pseudonym) & !is.na(m) & (m %% 100L) >= 1L & (m %% 100L) <= 12L
out <- d[valid, .(pseudonym, maand, categorie, trajectstatus, uitkering)]
counts <- out[, .N, by = pseudonym]
hi <- strtoi(substr(counts$pseudonym, 2, 5), 16L); lo <- strtoi(substr(counts$pseudonym, 6, 9), 16L)
digest <- ((sum(hi * counts$N) %% 65536) * 65536 + sum(lo * counts$N)) %% 4294967296
cat(sprintf('{"rows": %d, "valid_rows": %d, "rejected_rows": %d, "distinct_pseudonyms": %d, "amount_sum": %.2f, "digest": %.0f, "seconds_compute": %.4f}\n',
  nrow(d), nrow(out), nrow(d) - nrow(out), nrow(counts), sum(out$uitkering), digest,
  proc.time()[["elapsed"]] - t0))

# sobol.gp - Sobol sensitivity indices: first order S1 (the share of the
# output's variance an input explains alone) and total order ST (including
# its interactions) per input, with bootstrap confidence intervals.
#
# Data: `llmcost sensitivity SPEC --method sobol --outputs OUT --tsv`
# (tab-separated, one row per input ranked by ST; see the header line).
#   gnuplot -e "in='sobol.tsv'; out='sobol.png'" plots/sobol.gp
# Optional: what (the output's description), note (subtitle).
# `out` ending in .svg selects svg.  Made by plots/fig_sobol.sh.
if (!exists("in")) in = 'plots/out/data/sobol.tsv'
if (!exists("out")) out = 'plots/out/sobol.png'
if (!exists("what")) what = 'GPT-4 pretraining cost'
if (!exists("note")) note = 'Saltelli sampling, 95% bootstrap intervals'

if (strlen(out) > 4 && out[strlen(out)-2:] eq 'svg') {
    set terminal svg size 900,560 dynamic enhanced font 'sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 900,560 enhanced font 'sans,11' background rgb 'white'
}
set output out
set datafile separator "\t"
set datafile columnheaders

set title sprintf("Sobol indices: %s\n{/*0.85 %s}", what, note)
set ylabel 'share of the output variance'
set yrange [0:*]
set ytics 0.1
set grid ytics lc rgb '#dddddd'
set key top right box opaque
set style data histograms
set style histogram errorbars gap 1.5 lw 1.5
set style fill solid 0.85 border rgb '#333333'
set boxwidth 0.9
set xtics scale 0 font ',11' noenhanced
set errorbars 0.5

# columns: 2 factor, 12-14 S1 low high, 15-17 ST low high
plot in using 12:13:14:xtic(2) lc rgb '#3b75af' title 'first order S1', \
     '' using 15:16:17 lc rgb '#ef8636' title 'total order ST'

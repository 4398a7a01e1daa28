# tornado.gp - tornado chart: each uncertain input moved alone from its low
# to its high value, the others at their base; bars show the output at the
# low end (blue) and at the high end (orange) around the base value, largest
# swing on top.
#
# Data: `llmcost sensitivity SPEC --method tornado --outputs OUT --tsv`
# (tab-separated, one row per input, ranked by swing; see the header line).
#   gnuplot -e "in='tornado.tsv'; out='tornado.png'" plots/tornado.gp
# Optional: scale (divide outputs by it, default 1e6), unit ('million USD'),
# what (the output's description).  `out` ending in .svg selects svg.
# Made by plots/fig_tornado.sh from sweeps/sensitivity_gpt4.ini.
if (!exists("in")) in = 'plots/out/data/tornado.tsv'
if (!exists("out")) out = 'plots/out/tornado.png'
if (!exists("scale")) scale = 1e6
if (!exists("unit")) unit = 'million USD'
if (!exists("what")) what = 'GPT-4 pretraining cost'

if (strlen(out) > 4 && out[strlen(out)-2:] eq 'svg') {
    set terminal svg size 900,560 dynamic enhanced font 'sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 900,560 enhanced font 'sans,11' background rgb 'white'
}
set output out
set datafile separator "\t"
set datafile columnheaders

# columns: 3 rank, 4 label, 8 y_base, 9 y_low, 10 y_high, 11 swing
stats in using 3 name 'R' nooutput
stats in using ($8/scale) name 'B' nooutput
n = R_max

set title sprintf("Tornado: %s, one input at a time\n{/*0.85 base %.0f %s (every input at its median); bars: input at its low / high value}", what, B_mean, unit)
set xlabel sprintf('%s (%s)', what, unit)
set yrange [n + 0.7 : 0.3]
set ytics scale 0 font ',11' noenhanced
set grid xtics lc rgb '#dddddd'
set key bottom right box opaque
set style fill solid 0.85 border rgb '#333333'
set arrow 1 from B_mean, graph 0 to B_mean, graph 1 nohead lw 2 lc rgb '#222222' dt 2 front
set label 1 'base' at B_mean, graph 1 offset 0.5,-1 font ',10'
set offsets graph 0.04, graph 0.16, 0, 0

plot in using (($8 + $9) / 2 / scale):3:(abs($9 - $8) / 2 / scale):(0.32):ytic(4) \
        with boxxyerror lc rgb '#3b75af' title 'input at low', \
     '' using (($8 + $10) / 2 / scale):3:(abs($10 - $8) / 2 / scale):(0.32) \
        with boxxyerror lc rgb '#ef8636' title 'input at high', \
     '' using ((($9 > $10) ? $9 : $10) / scale):3:(sprintf(' swing %.0f', $11 / scale)) \
        with labels left font ',10' notitle

# fig_band.gp - uncertainty band of a sweep: monthly compute cost along
# monthly tokens for two model sizes, P5-P95 shaded, P50 line (log-log).
# Data: plots/fig_bands.sh writes band.tsv, two blocks (one per model size)
# of "monthly_tokens P5 P50 P95" from the sweep's monthly_cost_pct dataset.
#   gnuplot -e "in='band.tsv'; out='band.png'; p1=7e10; p2=1e12" plots/fig_band.gp
if (!exists("in")) in = 'plots/out/data/band.tsv'
if (!exists("out")) out = 'plots/out/band.png'
if (!exists("p1")) p1 = 7e10
if (!exists("p2")) p2 = 1e12

if (strlen(out) > 4 && out[strlen(out)-2:] eq 'svg') {
    set terminal svg size 900,620 dynamic enhanced font 'sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 900,620 enhanced font 'sans,11' background rgb 'white'
}
set output out
si(x) = x >= 1e12 ? sprintf('%.3gT', x / 1e12) : sprintf('%.3gB', x / 1e9)
set title "Monthly compute cost with its uncertainty: P5-P95 band, P50 line\n{/*0.85 H100, Chinchilla-trained; utilization (training, inference; rank-correlated 0.6), GPU-hour price,}\n{/*0.85 discount and amortization period uncertain: 1000 samples, the same at every point (sweeps/fig\\_bands.ini)}"
set xlabel 'tokens served per month'
set ylabel 'monthly compute cost (USD/month)'
set logscale xy 10
set format x '10^{%L}'
set format y '10^{%L}'
set grid xtics ytics mxtics mytics lc rgb '#dddddd'
set key top left box opaque
set style fill transparent solid 0.25 noborder
plot in index 0 using 1:2:4 with filledcurves lc rgb '#2166ac' title 'P5-P95, '.si(p1).' parameters', \
     in index 0 using 1:3 with lines lw 2.5 lc rgb '#2166ac' title 'P50, '.si(p1), \
     in index 1 using 1:2:4 with filledcurves lc rgb '#b2182b' title 'P5-P95, '.si(p2).' parameters', \
     in index 1 using 1:3 with lines lw 2.5 lc rgb '#b2182b' title 'P50, '.si(p2)

# fig_band_ratio.gp - how uncertain is each cell of the design space: the
# P95/P5 ratio of the monthly compute cost over model size x monthly tokens
# (log-log pm3d map).  Where amortized pretraining dominates, the training
# utilization, discount and period drive the spread; where inference
# dominates, the inference utilization and price do.
# Data: plots/fig_bands.sh writes band_ratio.tsv ("params tokens ratio",
# a blank line after each params row).
#   gnuplot -e "in='band_ratio.tsv'; out='band_ratio.png'" plots/fig_band_ratio.gp
if (!exists("in")) in = 'plots/out/data/band_ratio.tsv'
if (!exists("out")) out = 'plots/out/band_ratio.png'

if (strlen(out) > 4 && out[strlen(out)-2:] eq 'svg') {
    set terminal svg size 900,680 dynamic enhanced font 'sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 900,680 enhanced font 'sans,11' background rgb 'white'
}
set output out
set title "How uncertain is each cell: P95 / P5 of the monthly compute cost\n{/*0.85 same inputs and 1000 common samples as the band figure (sweeps/fig\\_bands.ini)}" offset 0,1
set xlabel 'model parameters'
set ylabel 'tokens served per month'
set cblabel 'P95 / P5'
set logscale xy 10
set format x '10^{%L}'
set format y '10^{%L}'
stats in using 1:2 name 'R' nooutput
set xrange [R_min_x : R_max_x]
set yrange [R_min_y : R_max_y]
set view map
set pm3d map corners2color c1 border retrace
set palette defined (0 '#fff7ec', 0.4 '#fdbb84', 0.7 '#ef6548', 1 '#7f0000')
set contour base
set cntrparam levels discrete 5.5, 6, 6.5, 7
unset clabel
set key off
splot in using 1:2:3 with pm3d notitle, \
      in using 1:2:3 nosurface with lines lw 1 lc rgb 'black' notitle

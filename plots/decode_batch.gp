# decode_batch.gp - the roofline's decode cost per 1K output tokens against
# the batch, one colour per catalogue GPU (solid), with the compute-bound
# cost of the article's formula (dotted): the knee where a decode step stops
# being the time to read the weights.
#
# Data: two 2-D text slices, x = batch, y = gpu (one scan per GPU):
#   llmcost slice F decode_cost_per_1k --x batch --y gpu -o in.'.txt'
#   llmcost slice F infer_cost_per_1k  --x batch --y gpu -o in.'_compute.txt'
# The GPU names are read from the slice header ("# gpu index: 0=A100 ...").
#   gnuplot -e "in='plots/out/data/decode_batch'; out='decode_batch.png'" plots/decode_batch.gp
# Made by plots/fig_decode_batch.sh from sweeps/fig_decode_batch.ini.
if (!exists("in")) in = 'plots/out/data/decode_batch'
if (!exists("out")) out = 'plots/out/decode_batch.png'
if (!exists("held")) held = "Llama-3.1-70B preset, 4K context, BF16, catalogue prices, MFU 100%, full HBM bandwidth, fewest GPUs that fit"

if (strlen(out) > 4 && out[strlen(out)-2:] eq 'svg') {
    set terminal svg size 900,640 dynamic enhanced font 'sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 900,640 enhanced font 'sans,11' background rgb 'white'
}
set output out

fd = in.'.txt'; fc = in.'_compute.txt'
names = system("sed -n 's/^# gpu index: //p' '".fd."' | sed 's/[0-9]*=//g'")
n = words(names)

set title "Decode cost per 1K output tokens against the batch (roofline)\n{/*0.8 ".held."}"
set xlabel 'decode batch (sequences per step)'
set ylabel 'decode cost (USD per 1K output tokens)'
set logscale xy 10
set xtics (1, 4, 16, 64, 256, 1024, 4096)
set format y '10^{%L}'
set mxtics 10; set mytics 10
set grid xtics ytics mytics lc rgb '#dddddd' lw 1, lc rgb '#f0f0f0' lw 1
set autoscale xfix
set key outside right top box opaque spacing 1.2 width -2

array col[6] = ['#1f77b4', '#d62728', '#ff7f0e', '#9467bd', '#2ca02c', '#8c564b']
plot for [i=1:n] fd every :::(i-1)::(i-1) using 1:3 with lines lw 2.5 lc rgb col[(i-1)%6+1] \
         title word(names, i), \
     for [i=1:n] fc every :::(i-1)::(i-1) using 1:3 with lines lw 2 dt (1,3) lc rgb col[(i-1)%6+1] notitle, \
     NaN with lines lw 2.5 lc rgb 'black' title 'roofline decode', \
     NaN with lines lw 2 dt (1,3) lc rgb 'black' title 'compute-bound (article)'

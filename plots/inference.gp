# inference.gp - inference cost per 1K generated tokens against model size,
# one colour per catalogue GPU: compute-bound (the article's 2 N / FLOP/s,
# solid), and bandwidth-aware decode (every step reads all weights) at batch
# 64 (dashed) and batch 1 (dotted).
#
# Data: three 2-D text slices, x = params, y = gpu (one scan per GPU), named
# in.'_compute.txt', in.'_b64.txt', in.'_b1.txt':
#   llmcost slice F infer_cost_per_1k    --x params --y gpu --at batch=1 ...
#   llmcost slice F infer_cost_per_1k_bw --x params --y gpu --at batch=64 ...
# The GPU names are read from the slice header ("# gpu index: 0=A100 ...").
#   gnuplot -e "in='plots/out/data/inference'; out='inference.png'" plots/inference.gp
# Made by plots/fig_inference.sh from sweeps/fig_inference.ini.
if (!exists("in")) in = 'plots/out/data/inference'
if (!exists("out")) out = 'plots/out/inference_cost.png'
if (!exists("held")) held = "catalogue price per GPU-hour, MFU 100%, 2 bytes per parameter"

if (strlen(out) > 4 && out[strlen(out)-2:] eq 'svg') {
    set terminal svg size 900,640 dynamic enhanced font 'sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 900,640 enhanced font 'sans,11' background rgb 'white'
}
set output out

fc = in.'_compute.txt'; f64 = in.'_b64.txt'; f1 = in.'_b1.txt'
names = system("sed -n 's/^# gpu index: //p' '".fc."' | sed 's/[0-9]*=//g'")
n = words(names)

set title "Inference cost per 1K generated tokens\n{/*0.85 ".held."}"
set xlabel 'model parameters N'
set ylabel 'inference cost (USD per 1K tokens)'
set logscale xy 10
set xtics ('1B' 1e9, '3B' 3e9, '10B' 1e10, '30B' 3e10, '100B' 1e11, '300B' 3e11, \
           '1T' 1e12, '2T' 2e12)
set format y '10^{%L}'
set mxtics 10; set mytics 10
set grid xtics ytics mytics lc rgb '#dddddd' lw 1, lc rgb '#f0f0f0' lw 1
set autoscale xfix
set key outside right top box opaque spacing 1.2 width -2

array col[6] = ['#1f77b4', '#d62728', '#ff7f0e', '#9467bd', '#2ca02c', '#8c564b']
set label 1 'GPT-4 Turbo: 1.776T' at 1.776e12, graph 0.03 right offset -0.5,0 font ',9' tc rgb '#555555'
# the article's example (fig_inference.sh slices it): GPT-4 Turbo on an A100
if (exists("c_turbo")) {
    set style textbox opaque fc rgb 'white' border lc rgb '#999999' margins 2,2
    set object 1 circle at 1.776e12, c_turbo size char 0.5 fc rgb 'black' fs solid front
    set arrow 3 from 1.776e12 / 6, c_turbo * 9 to 1.776e12, c_turbo head size char 1,20 \
        filled lc rgb 'black' front
    set label 2 sprintf("article: GPT-4 Turbo on an A100,\n%.4f USD per 1K tokens", c_turbo) \
        at 1.776e12 / 6, c_turbo * 9 right boxed front font ',10'
}
set arrow 1 from 1.776e12, graph 0 to 1.776e12, graph 1 nohead dt 3 lc rgb '#999999'

plot for [i=1:n] fc every :::(i-1)::(i-1) using 1:3 with lines lw 2.5 lc rgb col[(i-1)%6+1] \
         title word(names, i), \
     for [i=1:n] f64 every :::(i-1)::(i-1) using 1:3 with lines lw 2 dt 2 lc rgb col[(i-1)%6+1] notitle, \
     for [i=1:n] f1 every :::(i-1)::(i-1) using 1:3 with lines lw 3 dt (1,3) lc rgb col[(i-1)%6+1] notitle, \
     NaN with lines lw 2.5 lc rgb 'black' title 'compute-bound', \
     NaN with lines lw 2 dt 2 lc rgb 'black' title 'bandwidth, batch 64', \
     NaN with lines lw 3 dt (1,3) lc rgb 'black' title 'bandwidth, batch 1'

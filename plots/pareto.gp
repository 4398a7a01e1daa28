# pareto.gp - the Pareto front of pretraining cost against training days
# (and cluster size: fewer GPUs are a third objective) for the article's
# GPT-3 (175B, 500B tokens), GPT-4 (1.8T, 13T) and GPT-4 Turbo (1.776T, 13T),
# over frontier.ini's GPUs at their catalogue prices, MFU 30-60 % and 1k-48k
# GPUs.  Grey: every configuration; coloured: the front (one line per GPU
# type on it, its points at each cluster size).
# Data: plots/fig_pareto.sh writes d/pareto_<model>.front (days cost gpus
# gpu) and .all (days cost) from the files' /pareto group.
#   gnuplot -e "d='plots/out/data'; out='pareto.png'" plots/pareto.gp
if (!exists("d")) d = 'plots/out/data'
if (!exists("out")) out = 'plots/out/pareto.png'
if (strlen(out) > 4 && out[strlen(out)-2:] eq 'svg') {
    set terminal svg size 900,680 dynamic enhanced font 'sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 900,680 enhanced font 'sans,11' background rgb 'white'
}
set output out
set title "Pareto front: pretraining cost against training days (and cluster size)\n{/*0.85 frontier.ini's GPUs at catalogue prices, MFU 30-60%, 1k-48k GPUs, list price (discount 1)}"
set xlabel 'training days'
set ylabel 'pretraining cost (USD)'
set logscale xy 10
set ytics ('$100k' 1e5, '$1M' 1e6, '$10M' 1e7, '$100M' 1e8, '$1B' 1e9)
set grid xtics ytics mxtics mytics lc rgb '#e0e0e0'
set key top right box opaque
set datafile separator whitespace
# one block per GPU on the front: a line through its cluster sizes
plot d.'/pareto_gpt3.all' using 1:2 with points pt 7 ps 0.3 lc rgb '#c8c8c8' notitle, \
     d.'/pareto_gpt4.all' using 1:2 with points pt 7 ps 0.3 lc rgb '#c8c8c8' notitle, \
     d.'/pareto_gpt3.front' using 1:2 with linespoints pt 7 ps 0.9 lw 1.5 lc rgb '#1f77b4' title 'GPT-3 (175B, 500B tokens)', \
     d.'/pareto_gpt4.front' using 1:2 with linespoints pt 5 ps 0.9 lw 1.5 lc rgb '#d62728' title 'GPT-4 (1.8T, 13T tokens)', \
     d.'/pareto_gpt4t.front' using 1:2 with points pt 6 ps 1.4 lc rgb '#2ca02c' title 'GPT-4 Turbo (1.776T, 13T tokens)', \
     d.'/pareto_gpt4.front' using 1:2:(sprintf('%s %dk', stringcolumn(4), int($3/1000))) every 3 with labels offset 0,-1 font ',8' tc rgb '#d62728' notitle, \
     d.'/pareto_gpt3.front' using 1:2:(sprintf('%s %dk', stringcolumn(4), int($3/1000))) every 3 with labels offset 0,-1 font ',8' tc rgb '#1f77b4' notitle

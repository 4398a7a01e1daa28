# memory_fit.gp - the memory-fit map: GPUs one serving replica needs, one row
# per architecture preset, one column per context (log2 steps), the colour
# and the number in each cell the GPU count (log colour scale).
#
# Data: a 2-D text slice, x = context, y = arch (one scan of context per
# architecture; the names from the header "# arch index: 0=... 1=..."):
#   llmcost slice F gpus_per_replica --x context --y arch -o memory_fit.txt
#   gnuplot -e "in='memory_fit.txt'; out='memory_fit.png'" plots/memory_fit.gp
# Made by plots/fig_memory_fit.sh from sweeps/fig_memory_fit.ini.
if (!exists("in")) in = 'plots/out/data/memory_fit.txt'
if (!exists("out")) out = 'plots/out/memory_fit.png'
if (!exists("held")) held = "H100-80GB (90% usable), batch 32, BF16 weights and KV cache, replicas of the fewest GPUs that fit"

if (strlen(out) > 4 && out[strlen(out)-2:] eq 'svg') {
    set terminal svg size 900,640 dynamic enhanced font 'sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 900,640 enhanced font 'sans,11' background rgb 'white'
}
set output out

names = system("sed -n 's/^# arch index: //p' '".in."' | sed 's/[0-9]*=//g'")
n = words(names)
# the context of column k is 1024 * 2^k: x = log2(context / 1024)
cx(c) = log(c / 1024.0) / log(2.0)

set title "GPUs per serving replica: architecture x context\n{/*0.85 ".held."}"
set xlabel 'context (tokens held per sequence)'
set ylabel ''
set xtics ('1K' 0, '2K' 1, '4K' 2, '8K' 3, '16K' 4, '32K' 5, '64K' 6, '128K' 7)
set ytics () 
do for [i=1:n] { set ytics add (word(names, i) i - 1) }
set xrange [-0.5:7.5]
set yrange [n - 0.5:-0.5]
set logscale cb 2
set cbrange [1:*]
set cblabel 'GPUs per replica'
set palette defined (0 '#f7fbff', 1 '#c6dbef', 2 '#6baed6', 3 '#2171b5', 4 '#08306b')
set tics nomirror out
unset key

plot in using (cx($1)):2:3 with image, \
     in using (cx($1)):2:(sprintf('%d', $3)):($3 >= 16 ? 0xffffff : 0x000000) with labels tc rgb variable font ',10'

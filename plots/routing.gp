# routing.gp - model routing: the saving on inference cost when a share of
# the requests goes to a small model instead of the large one, one line per
# small model size (small/large ratio); the router's own cost makes the saving
# negative when too little is routed.
#
# Data: a 2-D text slice x = route_share, y = small_params (one scan per
# small model) of route_saving_share, in.'_saving.txt'.  The large model's
# size is read from the header line of the spec's fixed inputs ("params=").
#   gnuplot -e "in='plots/out/data/routing'; out='routing.png'" plots/routing.gp
# Made by plots/fig_routing.sh from sweeps/fig_routing.ini.
if (!exists("in")) in = 'plots/out/data/routing'
if (!exists("out")) out = 'plots/out/routing_saving.png'
if (!exists("held")) held = "A100 at 2.2659 USD/GPU-hour, MFU 100%, router 0.0002 USD per 1000-token request"

if (strlen(out) > 4 && out[strlen(out)-2:] eq 'svg') {
    set terminal svg size 900,600 dynamic enhanced font 'sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 900,600 enhanced font 'sans,11' background rgb 'white'
}
set output out

fs = in.'_saving.txt'
if (!exists("large")) {
    s = system("sed -n 's/^# inputs fixed by the spec:.*[ ,:]params=\\([^,]*\\).*/\\1/p' '".fs."' | head -n 1")
    large = strlen(s) ? real(s) : NaN
}
ys = ''; prev = -1e300
stats fs using (($2 != prev) ? (ys = ys.sprintf(' %.17g', $2), prev = $2) : 0) name 'S' nooutput
n = words(ys)
si(v) = v >= 1e12 ? sprintf('%.4gT', v/1e12) : v >= 1e9 ? sprintf('%.4gB', v/1e9) : sprintf('%.3g', v)

set title "Routing requests to a small model: saving against the large model alone\n{/*0.85 large model ".(large == large ? si(large) : '?')." parameters (GPT-4 Turbo), ".held."}"
set xlabel 'share of requests sent to the small model'
set ylabel 'saving on inference cost (% of the large model alone)'
set format x '%g%%'
set format y '%g%%'
set grid lc rgb '#dddddd'
set key top left box opaque spacing 1.3 title 'small model (small : large)'
set xrange [0:100]
set xzeroaxis lt -1 lw 1.5
array col[6] = ['#1f77b4', '#2ca02c', '#ff7f0e', '#d62728', '#9467bd', '#8c564b']

plot for [i=1:n] fs every :::(i-1)::(i-1) using ($1*100):($3*100) with lines lw 3 \
         lc rgb col[(i-1)%6+1] \
         title si(real(word(ys, i))).(large == large ? sprintf('  (1 : %.0f)', large / real(word(ys, i))) : '')

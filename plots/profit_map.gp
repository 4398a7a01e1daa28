# profit_map.gp - where a subscription business is profitable: monthly profit
# over subscribers x tokens per user (log-log pm3d map, not `with image`),
# with the break-even contour (profit = 0).  The colour is a signed log of the
# profit so that losses and profits of any size stay visible.
#
# Data: `llmcost slice F sub_profit --x users --y tokens_per_user --format binary`
# (float64 x y z records, x fastest); nx = number of users values.
#   gnuplot -e "in='profit.bin'; out='profit.png'; nx=151" plots/profit_map.gp
# Made by plots/fig_profit_map.sh from sweeps/fig_profit_map.ini.
if (!exists("in")) in = 'plots/out/data/profit_map.bin'
if (!exists("out")) out = 'plots/out/profit_map.png'
if (!exists("nx")) nx = 151
if (!exists("article")) article = 1   # mark the article's two break-even points
if (!exists("held")) held = "20 USD/user/month, GPT-4 Turbo with the article's rounded inputs: fixed 24M USD/month, inference 0.007 USD/1K"

if (strlen(out) > 4 && out[strlen(out)-2:] eq 'svg') {
    set terminal svg size 900,680 dynamic enhanced font 'sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 900,680 enhanced font 'sans,11' background rgb 'white'
}
set output out

BIN = sprintf("binary record=(%d,-1) format='%%3float64'", nx)
# signed log of the profit in million USD: 0 stays 0, +-1M -> +-0.3, +-1B -> +-3
slog(z) = z == z ? sgn(z) * log10(1 + abs(z) / 1e6) : NaN

set title "Monthly subscription profit: where it breaks even (black line: profit = 0)\n{/*0.85 ".held."}" offset 0,1.5
set xlabel 'subscribers'
set ylabel 'tokens per user per month'
set cblabel 'monthly profit (USD)'
set logscale xy 10
set xtics ('100K' 1e5, '300K' 3e5, '1M' 1e6, '3M' 3e6, '10M' 1e7, '30M' 3e7, '100M' 1e8)
set ytics ('10K' 1e4, '30K' 3e4, '100K' 1e5, '300K' 3e5, '1M' 1e6, '3M' 3e6, '10M' 1e7)
set cbtics ('-$1B' slog(-1e9), '-$100M' slog(-1e8), '-$10M' slog(-1e7), '-$1M' slog(-1e6), \
            '0' 0, '$1M' slog(1e6), '$10M' slog(1e7), '$100M' slog(1e8), '$1B' slog(1e9))
set cbrange [slog(-3e9):slog(3e9)]
stats in @BIN using 1:2 name 'R' nooutput
set xrange [R_min_x * (1 - 1e-9) : R_max_x * (1 + 1e-9)]
set yrange [R_min_y * (1 - 1e-9) : R_max_y * (1 + 1e-9)]
set ylabel offset -1.5,0
set tmargin at screen 0.84
set bmargin at screen 0.12
set view map
set pm3d map corners2color c1 border retrace   # retrace: no antialiasing seams between cells
set palette defined (-1 '#b2182b', -0.5 '#ef8a62', -0.15 '#fddbc7', 0 '#f7f7f7', \
                     0.15 '#d1e5f0', 0.5 '#67a9cf', 1 '#2166ac')
set contour base
set cntrparam levels discrete 0
unset clabel
set key off
# region names and the article's two break-even points (chart 7.3)
if (article) {
set label 1 'profit' at 2e7, 1e5, 1 center front font ',16' tc rgb 'white'
set label 2 'loss' at 2.5e5, 1e6, 1 center front font ',16' tc rgb '#67000d'
set label 3 'break-even: profit = 0' at 2.5e7, 3.7e6, 1 center front font ',11'
set label 4 '3.24M users at 1.8M tokens' at 3.243e6, 1.8e6, 1 point pt 7 ps 1.3 lc rgb 'black' \
    offset 1,-0.9 front font ',10'
set label 5 '1.29M users at 201K tokens' at 1.291e6, 201e3, 1 point pt 7 ps 1.3 lc rgb 'black' \
    offset 1,-0.9 front font ',10'
}

splot in @BIN using 1:2:(slog($3)) with pm3d notitle, \
      in @BIN using 1:2:(slog($3)) nosurface with lines lw 2.5 lc rgb 'black' notitle

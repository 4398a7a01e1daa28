# tokens.gp - the article's chart 7.2: monthly revenue from selling tokens and
# monthly compute cost (fixed share of pretraining + inference) against the
# tokens sold per month; the crossing (break-even) is marked.
#
# Data: 1-D text slices over monthly_tokens, in.'_revenue.txt' (token_revenue)
# and in.'_cost.txt' (monthly_cost), and the break-even as a single value,
# in.'_breakeven.txt' (`llmcost slice F breakeven_tokens`).
#   gnuplot -e "in='plots/out/data/tokens'; out='tokens.png'" plots/tokens.gp
# Made by plots/fig_tokens.sh from sweeps/fig_tokens.ini.
if (!exists("in")) in = 'plots/out/data/tokens'
if (!exists("out")) out = 'plots/out/token_breakeven.png'
if (!exists("held")) held = "GPT-4 Turbo, the article's rounded inputs: fixed 145M USD / 6 months ≈ 24M USD/month, inference 0.007 USD/1K"

if (strlen(out) > 4 && out[strlen(out)-2:] eq 'svg') {
    set terminal svg size 900,600 dynamic enhanced font 'sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 900,600 enhanced font 'sans,11' background rgb 'white'
}
set output out

frev = in.'_revenue.txt'; fcost = in.'_cost.txt'; fbe = in.'_breakeven.txt'
stats fbe using 1 name 'BE' nooutput
be = BE_min
# the revenue line is straight: its fit gives the value at the break-even
stats frev using ($1/1e12):($2/1e6) name 'R' nooutput
ybe = R_slope * be / 1e12 + R_intercept

set title "Selling tokens at an average 0.02 USD per 1K (0.01 in, 0.03 out, 1:1): article, chart 7.2\n{/*0.85 ".held."}"
set xlabel 'tokens sold per month (trillions, T)'
set ylabel 'USD per month'
set format x '%gT'
set format y '$%gM'
set grid lc rgb '#dddddd'
set key top left box opaque spacing 1.3
set autoscale xfix
set yrange [0:*]

set arrow 1 from be/1e12, graph 0 to be/1e12, ybe nohead dt 2 lw 1.5 lc rgb '#555555'
set label 1 sprintf("break-even: %.3gT tokens/month\n(article: 1.85T)", be/1e12) \
    at be/1e12, ybe point pt 7 ps 1.8 lc rgb 'black' offset 1.5,-1.6 front
set label 2 'profit' at graph 0.86, graph 0.72 center tc rgb '#2ca02c' font ',13'
set label 3 'loss' at graph 0.2, graph 0.3 center tc rgb '#d62728' font ',13'

plot frev using ($1/1e12):($2/1e6) with lines lw 3 lc rgb '#1f77b4' title 'revenue: tokens / 1000 × 0.02 USD', \
     fcost using ($1/1e12):($2/1e6) with lines lw 3 lc rgb '#d62728' title 'cost: 24M USD fixed + tokens / 1000 × 0.007 USD'

# subscription.gp - the article's chart 7.3: monthly profit of a subscription
# service against its number of subscribers, one line per tokens-per-user
# value, break-even points marked (none when a user costs more than he pays).
#
# Data: a 2-D text slice x = users, y = tokens_per_user (one scan per value),
# in.'_profit.txt' (sub_profit), and a 1-D slice of breakeven_users over
# tokens_per_user, in.'_breakeven.txt' (NaN: no break-even).
#   gnuplot -e "in='plots/out/data/subscription'; out='sub.png'" plots/subscription.gp
# Made by plots/fig_subscription.sh from sweeps/fig_subscription.ini.
if (!exists("in")) in = 'plots/out/data/subscription'
if (!exists("out")) out = 'plots/out/subscription_breakeven.png'
if (!exists("held")) held = "20 USD/user/month, GPT-4 Turbo with the article's rounded inputs: fixed 24M USD/month, inference 0.007 USD/1K"

if (strlen(out) > 4 && out[strlen(out)-2:] eq 'svg') {
    set terminal svg size 900,600 dynamic enhanced font 'sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 900,600 enhanced font 'sans,11' background rgb 'white'
}
set output out

fp = in.'_profit.txt'; fbe = in.'_breakeven.txt'
# the y values, one per scan (scans are separated by single blank lines)
ys = ''; prev = -1e300
stats fp using (($2 != prev) ? (ys = ys.sprintf(' %.17g', $2), prev = $2) : 0) name 'S' nooutput
n = words(ys)
array tpu[n]
do for [i=1:n] { tpu[i] = real(word(ys, i)) }
# tokens-per-user values that have a break-even (NaN rows are skipped)
bes = ''
stats fbe using 1:(($2 == $2) ? (bes = bes.sprintf(' %.17g ', $1), $2) : NaN) name 'E' nooutput
none(v) = strstrt(bes, sprintf(' %.17g ', v)) ? '' : ': never (no break-even)'
si(v) = v >= 1e6 ? sprintf('%.3gM', v/1e6) : v >= 1e3 ? sprintf('%.3gK', v/1e3) : sprintf('%g', v)

set title "Subscription profit against subscribers: article, chart 7.3\n{/*0.85 ".held."}"
set xlabel 'subscribers'
set ylabel 'profit (million USD per month)'
set format x '%gM'
set format y '%g'
set grid lc rgb '#dddddd'
set key top left box opaque spacing 1.3 title 'tokens per user per month'
set autoscale xfix
set xzeroaxis lt -1 lw 1.5
array col[6] = ['#1f77b4', '#2ca02c', '#ff7f0e', '#d62728', '#9467bd', '#8c564b']

plot for [i=1:n] fp every :::(i-1)::(i-1) using ($1/1e6):($3/1e6) with lines lw 3 \
         lc rgb col[(i-1)%6+1] title si(tpu[i]).(tpu[i] == 201e3 ? ' (6700 a day)' : \
         tpu[i] == 1.8e6 ? ' (120 questions × 500 a day)' : '').none(tpu[i]), \
     fbe using ($2/1e6):(0) with points pt 7 ps 1.8 lc rgb 'black' title 'break-even', \
     fbe using ($2/1e6):(0):(sprintf('%.3gM', $2/1e6)) with labels offset 2.6,-1.1 font ',11' notitle

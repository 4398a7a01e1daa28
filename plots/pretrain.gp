# pretrain.gp - pretraining cost over model size x training tokens: a log-log
# heatmap (pm3d map: `with image` is wrong on log axes) with iso-cost lines at
# 1M, 10M, 100M and 1B USD and the article's GPT-3, GPT-4 and GPT-4 Turbo.
#
# Data: `llmcost slice FILE pretrain_cost --x params --y tokens --format binary`
# (float64 x y z records, x fastest); nx = number of params values.
#   gnuplot -e "in='pretrain.bin'; out='pretrain.png'; nx=161" plots/pretrain.gp
# `out` ending in .svg selects the svg terminal, else pngcairo.
# Made by plots/fig_pretrain.sh from sweeps/fig_pretrain.ini.
if (!exists("in")) in = 'plots/out/data/pretrain_cost.bin'
if (!exists("out")) out = 'plots/out/pretrain_cost.png'
if (!exists("nx")) nx = 161
# the article's models' costs, when given (fig_pretrain.sh slices them)
if (!exists("c_gpt3")) c_gpt3 = NaN
if (!exists("c_gpt4")) c_gpt4 = NaN
if (!exists("c_gpt4t")) c_gpt4t = NaN
usd(v) = v != v ? '' : v >= 1e5 ? sprintf(': $%.3gM', v/1e6) : sprintf(': $%.3gk', v/1e3)
if (!exists("held")) held = "A100 at 2.2659 USD/GPU-hour, MFU 100%, the article's 0.5 discount"

if (strlen(out) > 4 && out[strlen(out)-2:] eq 'svg') {
    set terminal svg size 900,680 dynamic enhanced font 'sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 900,680 enhanced font 'sans,11' background rgb 'white'
}
set output out

BIN = sprintf("binary record=(%d,-1) format='%%3float64'", nx)
DATA = BIN . " using 1:2:3"

set title "Pretraining cost = 6·N·D / (FLOP/s × MFU) × price per GPU-second × discount\n{/*0.85 ".held."}"
set xlabel 'model parameters N'
set ylabel 'training tokens D'
set cblabel 'pretraining cost (USD)'
set logscale xy 10
set logscale zcb 10
set xtics ('1B' 1e9, '3B' 3e9, '10B' 1e10, '30B' 3e10, '100B' 1e11, '300B' 3e11, \
           '1T' 1e12, '3T' 3e12, '10T' 1e13)
set ytics ('10B' 1e10, '100B' 1e11, '1T' 1e12, '10T' 1e13, '100T' 1e14)
set cbtics ('$100' 1e2, '$1k' 1e3, '$10k' 1e4, '$100k' 1e5, '$1M' 1e6, '$10M' 1e7, \
            '$100M' 1e8, '$1B' 1e9, '$10B' 1e10)
set mxtics 10; set mytics 10
set autoscale xfix; set autoscale yfix
set view map
set pm3d map corners2color c1 border retrace   # retrace: no antialiasing seams between cells
set palette defined (0 '#440154', 1 '#482878', 2 '#3e4989', 3 '#31688e', 4 '#26828e', \
                     5 '#1f9e89', 6 '#35b779', 7 '#6ece58', 8 '#b5de2b', 9 '#fde725')
set contour base
set cntrparam levels discrete 1e6, 1e7, 1e8, 1e9
unset clabel
set key off

# the article's models (parameters, training tokens)
set style textbox opaque fc rgb 'white' noborder margins 2,1
set label 1 'GPT-3'.usd(c_gpt3) at 175e9, 500e9, 1 point pt 7 ps 1.4 lc rgb 'red' \
    offset 1,-0.8 front boxed font ',11'
set label 2 'GPT-4'.usd(c_gpt4) at 1.8e12, 13e12, 1 point pt 7 ps 1.4 lc rgb 'red' \
    offset 0.9,1.0 front boxed font ',11'
set label 3 'GPT-4 Turbo'.usd(c_gpt4t) at 1.776e12, 13e12, 1 point pt 6 ps 2.2 lc rgb 'red' \
    offset -12,-1.3 front boxed font ',11'

# Iso-cost labels near the top edge.  The cost is proportional to N*D on
# this plane, so k = N*D/cost (from the data) places level L at N*D = k*L.
stats in @BIN using 1 name 'X' nooutput
stats in @BIN using 2 name 'Y' nooutput
stats in @BIN using ($1*$2/$3) name 'K' nooutput
lab(v) = v >= 1e9 ? sprintf('$%.0fB', v/1e9) : sprintf('$%.0fM', v/1e6)
do for [i=6:9] {
    L = 10.0**i
    yl = Y_max / 2.5; xl = K_mean * L / yl
    if (xl > X_max / 2) { xl = X_max / 2; yl = K_mean * L / xl }
    if (xl < X_min * 2) { xl = X_min * 2; yl = K_mean * L / xl }
    # a level that does not cross the plot well inside gets no label
    if (yl < Y_max / 1.3 && yl > Y_min * 1.3) {
        set label 10+i lab(L) at xl, yl, 1 center front boxed font ',10'
    }
}

splot in @DATA with pm3d notitle, \
      in @DATA nosurface with lines lw 1.5 lc rgb 'white' notitle

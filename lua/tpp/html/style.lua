--- tpp.html.style: the report's stylesheet (inline; system fonts only, so the
-- page loads nothing). Narrow screens get one column and tables that scroll
-- sideways; print gets black on white, no backgrounds, no split figures.
local M = {}

M.CSS = [[
:root{--ink:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#ffffff;--panel:#f6f8fa;
--ctl:#b42318;--ctl-bg:#fde8e7;--ok:#1a7f37;--ok-bg:#e6f4ea;--und:#9a6700;--und-bg:#fff4d6;
--nac:#6639ba;--nac-bg:#efe9fb}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif}
main{max-width:72rem;margin:0 auto;padding:1rem 1rem 3rem}
header{border-bottom:2px solid var(--ink);margin-bottom:1.5rem;padding-bottom:.5rem}
h1{font-size:1.8rem;line-height:1.2;margin:.2rem 0 .6rem}
h2{font-size:1.5rem;margin:2rem 0 .4rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
h3{font-size:1.15rem;margin:1.6rem 0 .5rem}
h4{font-size:1rem;margin:1rem 0 .3rem}
.kicker{margin:0;color:var(--muted);font-size:.9rem;letter-spacing:.02em;text-transform:uppercase}
.lede{font-size:1.1rem;margin:.3rem 0}
.explain{max-width:48rem}
.small{font-size:.88rem;color:var(--muted)}
.disclaimer{background:var(--und-bg);border-left:4px solid var(--und);padding:.5rem .8rem;font-size:.92rem;
max-width:48rem}
.warn{color:var(--ctl)}
.badge{display:inline-block;padding:.1rem .55rem;border-radius:1rem;font-weight:600;font-size:.9rem;
white-space:nowrap;border:1px solid currentColor}
.st-controlled,.d-licence-required,.d-prohibited{color:var(--ctl);background:var(--ctl-bg)}
.st-not-controlled,.d-no-licence-required{color:var(--ok);background:var(--ok-bg)}
.st-undetermined,.d-undetermined,.st-error{color:var(--und);background:var(--und-bg)}
.st-nac-eligible{color:var(--nac);background:var(--nac-bg)}
.tag{display:inline-block;font-size:.75rem;padding:0 .4rem;border-radius:.25rem;background:var(--panel);
border:1px solid var(--line);color:var(--muted)}
.tag-vendor,.tag-primary{color:var(--ok);border-color:var(--ok)}
.tag-reported,.tag-secondary{color:var(--und);border-color:var(--und)}
.tag-derived{color:var(--nac);border-color:var(--nac)}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.4rem 0 1rem}
table{border-collapse:collapse;min-width:100%;font-size:.93rem}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
thead th{background:var(--panel);font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.hash{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.75rem;word-break:break-all}
figure.chart{margin:.5rem 0 1rem}
figure.chart svg{width:100%;height:auto;max-width:100%;display:block}
figcaption{font-size:.88rem;color:var(--muted);margin-top:.3rem}
details{margin:.6rem 0}
summary{cursor:pointer;font-weight:600}
footer{margin-top:3rem;border-top:1px solid var(--line);padding-top:1rem;font-size:.9rem;color:var(--muted)}
@media (max-width:40rem){
body{font-size:15px}
main{padding:.6rem .6rem 2rem}
h1{font-size:1.45rem}
table.stack thead{display:none}
table.stack tr{display:block;border-bottom:1px solid var(--line);padding:.3rem 0}
table.stack td{display:flex;justify-content:space-between;gap:1rem;border:0;padding:.15rem .2rem;text-align:right}
table.stack td::before{content:attr(data-label);font-weight:600;text-align:left;color:var(--muted)}
figure.chart{overflow-x:auto;-webkit-overflow-scrolling:touch}
figure.chart svg{min-width:640px}
figcaption{position:sticky;left:0}
}
@media print{
:root{--bg:#fff}
body{font-size:11pt;color:#000}
main{max-width:none;padding:0}
.badge,.tag,.disclaimer{background:none!important}
details{display:block}
details>summary{list-style:none}
h2,h3{break-after:avoid}
figure,table,tr{break-inside:avoid}
article.chip{break-before:page}
article.chip:first-of-type{break-before:auto}
.table-wrap{overflow:visible}
a{color:inherit}
}
]]

return M

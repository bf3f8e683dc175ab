using System;
using System.Security.Cryptography;
using System.Text;

namespace ConfluenceAudit.Reporting;

/// <summary>
/// The report's inline style and script. The script only adds sorting and filtering to the records table; the page
/// reads completely without it. Its hash goes into the page's Content-Security-Policy, which allows no other script
/// and no request to any network, so even markup that escaped escaping could neither run nor fetch anything.
/// </summary>
internal static class ReportAssets
{
    public const string Style = @"
:root{color-scheme:light dark;--fg:#1a1a1a;--muted:#4d4d4d;--bg:#ffffff;--panel:#f4f5f7;--line:#c1c7d0;--bar:#0052cc;--warn-bg:#ffebe6;--warn-fg:#8a1c00;--off-bg:#fff7d6;--off-fg:#5c4300}
@media (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--muted:#b8b8b8;--bg:#121417;--panel:#1d2125;--line:#454f59;--bar:#85b8ff;--warn-bg:#4c1d12;--warn-fg:#ffd2c7;--off-bg:#3d3210;--off-fg:#ffe9a8}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans CJK JP',sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 1.25rem}
header{padding-top:1.25rem}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
h3{font-size:1.05rem;margin:1.25rem 0 .4rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.totals{display:flex;flex-wrap:wrap;gap:.75rem;margin:0;padding:0;list-style:none}
.totals li{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.5rem .9rem;min-width:10rem}
.totals .value{display:block;font-size:1.5rem;font-weight:600}
.note{color:var(--muted)}
table{border-collapse:collapse;margin:.5rem 0;min-width:50%}
.scroll table,#sensitive-rules{width:100%}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--panel)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow:auto;max-height:70vh;border:1px solid var(--line)}
.scroll table{margin:0}
.scroll thead th{position:sticky;top:0}
th button{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;cursor:pointer;text-align:left}
th[aria-sort=ascending] button::after{content:' \25B2'}th[aria-sort=descending] button::after{content:' \25BC'}
.flag{display:inline-block;border-radius:4px;padding:0 .35rem;margin:0 .2rem .1rem 0;font-size:.85em;font-weight:600;border:1px solid currentColor}
.flag.sensitive{background:var(--warn-bg);color:var(--warn-fg)}
.flag.outside{background:var(--off-bg);color:var(--off-fg)}
svg.chart{width:100%;height:auto;max-width:800px;display:block}
svg.chart .bar{fill:var(--bar)}svg.chart .axis,svg.chart .grid{stroke:var(--line)}
svg.chart text{fill:var(--fg);font-size:12px}
.filter{margin:.5rem 0}.filter input{font:inherit;padding:.25rem .4rem;width:20rem;max-width:100%;color:var(--fg);background:var(--bg);border:1px solid var(--muted)}
footer{margin:2rem auto;color:var(--muted)}
@media print{body{font-size:10pt;color:#000;background:#fff}.filter{display:none!important}.scroll{max-height:none;overflow:visible;border:0}
 section{break-inside:auto}h2{break-after:avoid}tr{break-inside:avoid}.scroll thead th{position:static}
 :root{--fg:#000;--muted:#333;--bg:#fff;--panel:#eee;--line:#999;--bar:#333}}
";

    public const string Script = @"
(function () {
  var table = document.getElementById('records');
  var box = document.getElementById('records-filter');
  if (!table || !box) { return; }
  var input = document.getElementById('records-filter-text');
  var status = document.getElementById('records-filter-status');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  box.hidden = false;
  input.addEventListener('input', function () {
    var query = input.value.toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var match = !query || row.textContent.toLowerCase().indexOf(query) >= 0;
      row.hidden = !match;
      if (match) { shown++; }
    });
    status.textContent = shown + ' of ' + rows.length + ' rows shown';
  });
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (head, column) {
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = head.textContent;
    head.textContent = '';
    head.appendChild(button);
    button.addEventListener('click', function () {
      var ascending = head.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(heads, function (other) { other.removeAttribute('aria-sort'); });
      head.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var key = function (row) { var cell = row.cells[column]; return cell.getAttribute('data-sort') || cell.textContent.toLowerCase(); };
      rows.sort(function (a, b) { var x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1); });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
";

    /// <summary>The CSP source that allows exactly <see cref="Script"/>.</summary>
    public static string ScriptHash()
    {
        using var sha = SHA256.Create();
        return "'sha256-" + Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(Script))) + "'";
    }
}

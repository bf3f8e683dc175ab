<#
.SYNOPSIS
Measures Export-ConfluenceAuditReport: records per second and peak memory for 100,000 and 1,000,000 records, and
writes them to docs/benchmarks.md (its "Audit review report" section).
.DESCRIPTION
For each size, an emulator holding that many records, and a fresh child pwsh per measurement that imports the built
module, connects, writes one small report (so the code is loaded and compiled), then resets the kernel's peak
(echo 5 > /proc/self/clear_refs, Linux) and writes the report of every record. The peak working set is that report's
own. The same is measured for Get-ConfluenceAuditRecord | Measure-Object, the listing alone, so the report's
own memory shows as the difference: it stays flat from 100,000 to 1,000,000 records because the report aggregates
as the records stream and keeps at most the newest 10,000 for its table.
.EXAMPLE
dotnet pwsh ./tests/Benchmark/Measure-Report.ps1
#>
[CmdletBinding()]
param(
    [int[]] $Records = @(100000, 1000000),
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ConfluenceAudit'),
    [string] $ResultsPath = (Join-Path $PSScriptRoot '../../docs/benchmarks.md')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$module = (Resolve-Path $ModulePath).Path
Import-Module (Join-Path $root 'src/ConfluenceAudit.Emulator/EmulatorProcess.psm1') -Force

$child = @'
param($Module, $BaseUri, $Path, $Mode)
$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'
Import-Module $Module
$credential = [pscredential]::new('admin@example.com', (ConvertTo-SecureString 'emulator-admin-token' -AsPlainText -Force))
Connect-ConfluenceAudit -BaseUri $BaseUri -Deployment Cloud -Credential $credential
$end = [DateTime]::UtcNow
Export-ConfluenceAuditReport -Path $Path -StartDate $end.AddDays(-1) -EndDate $end
$null = Get-ConfluenceAuditRecord -First 1000 | Measure-Object
[GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
$process = [Diagnostics.Process]::GetCurrentProcess(); $process.Refresh()
$baseline = $process.WorkingSet64
try { [IO.File]::WriteAllText('/proc/self/clear_refs', '5') } catch { }
$watch = [Diagnostics.Stopwatch]::StartNew()
$count = if ($Mode -eq 'Report') {
    $file = Export-ConfluenceAuditReport -Path $Path -EndDate $end -PassThru
    ([regex]::Match([IO.File]::ReadAllText($file.FullName), 'id="total-records" data-count="(\d+)"')).Groups[1].Value
} else { (Get-ConfluenceAuditRecord -EndDate $end | Measure-Object).Count }
$watch.Stop(); $process.Refresh()
[pscustomobject]@{ Records = [long]$count; Seconds = $watch.Elapsed.TotalSeconds; BaselineMB = $baseline / 1MB; PeakMB = $process.PeakWorkingSet64 / 1MB;
    FileMB = if ($Mode -eq 'Report') { (Get-Item $Path).Length / 1MB } else { 0 } } | ConvertTo-Json -Compress
'@
$childPath = Join-Path ([IO.Path]::GetTempPath()) ('report-bench-' + [guid]::NewGuid().ToString('N') + '.ps1')
Set-Content -LiteralPath $childPath -Value $child
$rows = foreach ($count in $Records) {
    $emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', $count -StartTimeoutSec 300
    try {
        foreach ($mode in 'Listing', 'Report') {
            $report = Join-Path ([IO.Path]::GetTempPath()) ('report-bench-' + [guid]::NewGuid().ToString('N') + '.html')
            $json = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $childPath -Module $module -BaseUri $emulator.BaseUri -Path $report -Mode $mode
            if ($LASTEXITCODE -ne 0) { throw "The $mode measurement of $count records failed: $json" }
            Remove-Item -LiteralPath $report -ErrorAction Ignore
            $m = $json | Select-Object -Last 1 | ConvertFrom-Json
            if ($m.Records -ne $count) { throw "The $mode read $($m.Records) records, expected $count." }
            $row = [pscustomobject]@{ Records = $count; Mode = $mode; Seconds = $m.Seconds; PerSecond = $count / $m.Seconds; BaselineMB = $m.BaselineMB; PeakMB = $m.PeakMB; FileMB = $m.FileMB }
            Write-Host ('{0,9:N0} {1,-8} {2,7:N2} s {3,9:N0} records/s  peak {4,6:N1} MB (baseline {5,6:N1} MB)  file {6:N1} MB' -f $count, $mode, $row.Seconds, $row.PerSecond, $row.PeakMB, $row.BaselineMB, $row.FileMB)
            $row
        }
    }
    finally { $emulator | Stop-ConfluenceAuditEmulator }
}
Remove-Item -LiteralPath $childPath -ErrorAction Ignore

if ($ResultsPath) {
    $lines = @('<!-- bench:report -->', '## Audit review report', '',
        ('Run of {0:yyyy-MM-dd HH:mm} UTC on {1} logical processors by `tests/Benchmark/Measure-Report.ps1`: `Export-ConfluenceAuditReport` of every record of the emulator, each in a fresh pwsh after one small report; peak working set of that report alone (Linux: the peak is reset first), next to the listing alone (`Get-ConfluenceAuditRecord | Measure-Object`) in the same conditions.' -f [DateTime]::UtcNow, [Environment]::ProcessorCount), '',
        '| Records | What | Seconds | Records/s | Peak working set | Before | Report file |', '|---:|---|---:|---:|---:|---:|---:|')
    foreach ($r in $rows) {
        $what = if ($r.Mode -eq 'Report') { 'Export-ConfluenceAuditReport' } else { 'listing alone' }
        $file = if ($r.Mode -eq 'Report') { '{0:N1} MB' -f $r.FileMB } else { '' }
        $lines += '| {0:N0} | {1} | {2:N2} | {3:N0} | {4:N1} MB | {5:N1} MB | {6} |' -f $r.Records, $what, $r.Seconds, $r.PerSecond, $r.PeakMB, $r.BaselineMB, $file
    }
    $lines += '<!-- /bench:report -->'
    $text = Get-Content -LiteralPath $ResultsPath -Raw
    $section = $lines -join "`n"
    $text = if ($text -match '(?s)<!-- bench:report -->.*?<!-- /bench:report -->') { $text -replace '(?s)<!-- bench:report -->.*?<!-- /bench:report -->', $section.Replace('$', '$$') } else { $text.TrimEnd() + "`n`n" + $section + "`n" }
    Set-Content -LiteralPath $ResultsPath -Value $text -NoNewline
}

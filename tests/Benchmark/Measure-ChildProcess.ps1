<#
.SYNOPSIS
One measurement in a fresh PowerShell process, started by Invoke-Benchmark.ps1. Writes one line of JSON.
.DESCRIPTION
  Import  Times Import-Module of the built module, and nothing else (no process start-up).
  Memory  Imports the module, connects to the emulator, then lists -First records into Measure-Object and
          reports the peak working set of that listing. On Linux the kernel's peak (VmHWM) is reset after
          import and connect (echo 5 > /proc/self/clear_refs), so the peak is the listing's own; elsewhere it is
          the process's lifetime peak.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [ValidateSet('Import', 'Memory')] [string] $Mode,
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $EmulatorModulePath,
    [string] $BaseUri,
    [long] $First,
    [string] $StartDate,
    [string] $EndDate
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

if ($Mode -eq 'Import') {
    $elapsed = Measure-Command { Import-Module $ModulePath }
    [pscustomobject]@{ ImportMs = $elapsed.TotalMilliseconds } | ConvertTo-Json -Compress
    return
}

Import-Module $EmulatorModulePath
Import-Module $ModulePath
Connect-ConfluenceAudit -BaseUri $BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential)
$range = @{ StartDate = [datetime]::Parse($StartDate, [cultureinfo]::InvariantCulture, 'RoundtripKind'); EndDate = [datetime]::Parse($EndDate, [cultureinfo]::InvariantCulture, 'RoundtripKind') }
# One small listing first, so the code paths are loaded and JIT-compiled before the baseline is taken.
$null = Get-ConfluenceAuditRecord @range -First 10 | Measure-Object

$process = [System.Diagnostics.Process]::GetCurrentProcess()
[GC]::Collect()
[GC]::WaitForPendingFinalizers()
[GC]::Collect()
$process.Refresh()
$baseline = $process.WorkingSet64
$peakReset = $false
if (Test-Path -LiteralPath '/proc/self/clear_refs') {
    try { [System.IO.File]::WriteAllText('/proc/self/clear_refs', '5'); $peakReset = $true } catch { $peakReset = $false }
}

$watch = [System.Diagnostics.Stopwatch]::StartNew()
$count = (Get-ConfluenceAuditRecord @range -First $First | Measure-Object).Count
$watch.Stop()
$process.Refresh()

[pscustomobject]@{
    Records        = $count
    Seconds        = $watch.Elapsed.TotalSeconds
    BaselineBytes  = $baseline
    PeakBytes      = $process.PeakWorkingSet64
    FinalBytes     = $process.WorkingSet64
    PeakReset      = $peakReset
    ManagedBytes   = [GC]::GetTotalMemory($false)
} | ConvertTo-Json -Compress

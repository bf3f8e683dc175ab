<#
.SYNOPSIS
Measures how fast the built ConfluenceAudit module lists the audit log, next to what the same listing costs
without it, and writes the results to docs/benchmarks.md.
.DESCRIPTION
Runs in the calling PowerShell process (no figure includes process start-up): starts the emulator, imports the
built module, and times side by side, on the same records and the same date range:
  1. Get-ConfluenceAuditRecord | Measure-Object
  2. an Invoke-RestMethod loop over start/limit pages (limit 1000), what an administrator writes without the module
  3. the floor: the same pages downloaded with one HttpClient and thrown away unparsed, plus the pipeline's own
     cost of sending as many ready-made records into Measure-Object
  4. Get-ConfluenceAuditRecord | Export-Csv, and Export-ConfluenceAudit (the server's CSV) of the same range
  5. with 200 ms latency per request: a sequential HttpClient loop over the pages versus the module with its
     default connection (MaxConcurrency 4) and with -MaxConcurrency 1
  6. peak memory of a listing and Import-Module time, each in fresh child processes
Each measurement runs -WarmUp times untimed, then -Runs times; medians are quoted, min and max shown.
.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 Bench
.EXAMPLE
dotnet pwsh ./tests/Benchmark/Invoke-Benchmark.ps1 -Million -ResultsPath ''
#>
[CmdletBinding()]
param(
    # 1,000,000 records instead of 100,000 (the latency comparison stays at 100,000: sequentially it takes 200 s a run).
    [switch] $Million,

    [ValidateRange(1, 100)] [int] $Runs = 5,

    # Untimed runs before each measurement.
    [ValidateRange(0, 10)] [int] $WarmUp = 1,

    # Listings of up to 100,000 records before the first measurement: the module's code reaches full speed only after
    # .NET's tiered JIT has recompiled it, which takes a few listings. Their times are reported (the cold start).
    [ValidateRange(0, 30)] [int] $ModuleWarmUp = 15,

    # Timed runs of the Invoke-RestMethod loop (slow: about 10 s a run at 100,000 records), after -WarmUp untimed.
    [ValidateRange(1, 100)] [int] $IrmRuns = 3,

    # Runs of each latency measurement (a sequential run of 100,000 records takes about 20 s); -MaxConcurrency 1,
    # which only shows what the concurrency buys, runs once.
    [ValidateRange(1, 20)] [int] $LatencyRuns = 3,
    [ValidateRange(1, 10000)] [int] $LatencyMs = 200,

    # Fresh child processes for Import-Module time (one more runs first and is not counted).
    [ValidateRange(1, 50)] [int] $ImportRuns = 5,

    # Extra diagnostics: MaxConcurrency 1/2/4/8 and $ProgressPreference variations without latency.
    [switch] $Diagnostics,

    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ConfluenceAudit'),
    [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release',

    # Where the results table goes; '' writes none.
    [string] $ResultsPath = (Join-Path $PSScriptRoot '../../docs/benchmarks.md')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$benchWatch = [System.Diagnostics.Stopwatch]::StartNew()
$Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$BuiltModulePath = (Resolve-Path $ModulePath).Path
$EmulatorModulePath = Join-Path $Root 'src/ConfluenceAudit.Emulator/EmulatorProcess.psm1'
$ChildScript = Join-Path $PSScriptRoot 'Measure-ChildProcess.ps1'
$Records = if ($Million) { 1000000 } else { 100000 }
$LatencyRecords = 100000
$PageSize = 1000

# A copy of the built module, so a rebuild while the benchmark runs cannot mix two builds in one set of figures.
$tempDir = Join-Path ([System.IO.Path]::GetTempPath()) ("confluenceaudit-bench-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
$null = New-Item -ItemType Directory -Path $tempDir
$ModulePath = Join-Path $tempDir 'ConfluenceAudit'
Copy-Item -LiteralPath $BuiltModulePath -Destination $ModulePath -Recurse

Import-Module $EmulatorModulePath -Force
Import-Module $ModulePath -Force

. (Join-Path $PSScriptRoot 'BenchmarkSupport.ps1')

$machine = Get-MachineDescription
Write-Host "ConfluenceAudit benchmark: $($Records.ToString('N0')) records, $Runs runs after $WarmUp warm-up, medians" -ForegroundColor Cyan
Write-Host ("Machine: {0} logical processors, {1}, {2}, {3}, PowerShell {4}" -f $machine['Logical processors'], $machine['Memory'], $machine['OS'], $machine['.NET'], $machine['PowerShell'])

$emulator = Start-ConfluenceAuditEmulator -Configuration $Configuration -ArgumentList '--records', $Records
# At 1,000,000 records the latency comparison uses a second emulator of 100,000, started now so that its records
# (dated back from its start) fall in the same fixed range as the first one's.
$latencyEmulator = if ($Records -ne $LatencyRecords) {
    Start-ConfluenceAuditEmulator -Configuration $Configuration -ArgumentList '--records', $LatencyRecords, '--latency-ms', $LatencyMs
}
$http = $null
$savedProgress = $ProgressPreference
$results = [ordered]@{}
try {
    # One fixed range for everything: all seeded records (they span the last 90 days), nothing that arrives later.
    $end = [DateTimeOffset]::UtcNow
    $begin = $end.AddDays(-365)
    $range = @{ StartDate = $begin.UtcDateTime; EndDate = $end.UtcDateTime }
    $startMs = $begin.ToUnixTimeMilliseconds()
    $endMs = $end.ToUnixTimeMilliseconds()
    $credential = Get-ConfluenceAuditEmulatorCredential
    $authValue = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($credential.UserName):$($credential.GetNetworkCredential().Password)"))
    $connection = Connect-ConfluenceAudit -BaseUri $emulator.BaseUri -Credential $credential -PassThru
    $sequentialConnection = Connect-ConfluenceAudit -BaseUri $emulator.BaseUri -Credential $credential -MaxConcurrency 1 -PassThru
    Connect-ConfluenceAudit -BaseUri $emulator.BaseUri -Credential $credential  # the default connection, as a user has it

    $http = [System.Net.Http.HttpClient]::new()
    $http.DefaultRequestHeaders.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Basic', $authValue)
    $http.DefaultRequestHeaders.Accept.ParseAdd('application/json')
    $pageUris = @(New-PageUris $emulator.BaseUri $Records $startMs $endMs)
    $irmHeaders = @{ Authorization = "Basic $authValue" }
    $irmBase = "$($emulator.BaseUri)/rest/api/audit?startDate=$startMs&endDate=$endMs&limit=$PageSize"

    $downloadBlock = {
        $bytes = 0L
        foreach ($uri in $pageUris) { $bytes += $http.GetByteArrayAsync($uri).GetAwaiter().GetResult().Length }
        $script:DownloadBytes = $bytes
        $Records  # the pages are not parsed; they hold these records
    }

    Write-Host "`nNo added latency, $($Records.ToString('N0')) records (progress preference: $ProgressPreference)" -ForegroundColor Cyan
    $warmUpTimes = for ($i = 0; $i -lt $ModuleWarmUp; $i++) {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $null = Get-ConfluenceAuditRecord @range -First ([math]::Min($Records, 100000)) | Measure-Object
        $watch.Elapsed.TotalSeconds
    }
    if ($ModuleWarmUp) { Write-Host ("  {0,-58}{1}" -f "Warm-up listings of $([math]::Min($Records, 100000).ToString('N0')) records", (($warmUpTimes | ForEach-Object { '{0:N2} s' -f $_ }) -join ', ')) }
    $results.Module = Measure-Case -Name 'Get-ConfluenceAuditRecord | Measure-Object' -Expect $Records -Emulator $emulator -Block {
        (Get-ConfluenceAuditRecord @range | Measure-Object).Count
    }

    # What an administrator writes without the module. Slow: at 1,000,000 records it warms up on 10 pages and runs twice.
    $irmRuns = if ($Million) { [math]::Min($IrmRuns, 2) } else { $IrmRuns }
    $irmLoop = {
        param([int] $MaxPages = [int]::MaxValue)
        & {
            $pages = 0
            $start = 0
            do {
                $page = Invoke-RestMethod -Uri "$irmBase&start=$start" -Headers $irmHeaders
                $page.results
                $start += $page.results.Count
                $pages++
            } while ($page.results.Count -gt 0 -and $pages -lt $MaxPages)
        } | Measure-Object | ForEach-Object Count
    }
    if ($Million -and $WarmUp -gt 0) { $null = & $irmLoop 10 }
    $results.Irm = Measure-Case -Name 'Invoke-RestMethod loop | Measure-Object' -Expect $Records -Runs $irmRuns -WarmUp $(if ($Million) { 0 } else { $WarmUp }) -Block $irmLoop

    $results.Download = Measure-Case -Name 'Floor: HttpClient download, unparsed (sequential)' -Expect $Records -Emulator $emulator -Block $downloadBlock
    $bytesPerListing = $script:DownloadBytes
    $results.Download4 = Measure-Case -Name 'Emulator check: HttpClient download, 4 in flight' -Expect $Records -Emulator $emulator -Block {
        $queue = [System.Collections.Generic.Queue[System.Threading.Tasks.Task[byte[]]]]::new()
        foreach ($uri in $pageUris) {
            if ($queue.Count -ge 4) { $null = $queue.Dequeue().GetAwaiter().GetResult() }
            $queue.Enqueue($http.GetByteArrayAsync($uri))
        }
        while ($queue.Count) { $null = $queue.Dequeue().GetAwaiter().GetResult() }
        $Records
    }

    # The pipeline's own cost: as many ready-made records, sent into Measure-Object.
    $objects = @(Get-ConfluenceAuditRecord @range)
    if ($objects.Count -ne $Records) { throw "Collected $($objects.Count) records, expected $Records." }
    $results.Pipeline = Measure-Case -Name 'Floor: $objects | Measure-Object (ready-made records)' -Expect $Records -Block {
        ($objects | Measure-Object).Count
    }
    $results.ScriptProducer = Measure-Case -Name 'Pipeline: script block producer | Measure-Object' -Expect $Records -Block {
        (& { foreach ($o in $objects) { $o } } | Measure-Object).Count
    }
    $objects = $null
    [GC]::Collect()

    $csv = Join-Path $tempDir 'records.csv'
    $serverCsv = Join-Path $tempDir 'export.csv'
    $results.ExportCsv = Measure-Case -Name 'Get-ConfluenceAuditRecord | Export-Csv' -Expect $Records -Before { Remove-Item -LiteralPath $csv -ErrorAction Ignore } -Block {
        Get-ConfluenceAuditRecord @range | Export-Csv -LiteralPath $csv -NoTypeInformation
        $Records
    }
    $csvBytes = (Get-Item -LiteralPath $csv).Length
    $results.ExportServer = Measure-Case -Name 'Export-ConfluenceAudit -Path x.csv' -Expect $Records -Emulator $emulator -Before { Remove-Item -LiteralPath $serverCsv -ErrorAction Ignore } -Block {
        Export-ConfluenceAudit -Path $serverCsv @range
        $Records
    }
    $serverCsvBytes = (Get-Item -LiteralPath $serverCsv).Length
    Remove-Item -LiteralPath $csv, $serverCsv -ErrorAction Ignore

    if ($Diagnostics) {
        Write-Host "`nProfile (no added latency)" -ForegroundColor Cyan
        $profileResults = [System.Collections.Generic.List[object]]::new()
        foreach ($preference in 'SilentlyContinue', 'Continue') {
            $ProgressPreference = $preference
            $profileResults.Add((Measure-Case -Name "Module, `$ProgressPreference = $preference" -Expect $Records -Block { (Get-ConfluenceAuditRecord @range | Measure-Object).Count }))
        }
        $ProgressPreference = $savedProgress
        $profileResults.Add((Measure-Case -Name 'Module | Out-Null' -Expect $Records -Block { Get-ConfluenceAuditRecord @range | Out-Null; $Records }))
        foreach ($concurrency in 1, 2, 4, 8) {
            $c = Connect-ConfluenceAudit -BaseUri $emulator.BaseUri -Credential $credential -MaxConcurrency $concurrency -PassThru
            $profileResults.Add((Measure-Case -Name "Module, -MaxConcurrency $concurrency" -Expect $Records -Emulator $emulator -Block { (Get-ConfluenceAuditRecord @range -Connection $c | Measure-Object).Count }))
        }
        $results.Profile = $profileResults
    }

    # With latency: every request waits $LatencyMs before the emulator answers, as a Cloud site over the internet does.
    Write-Host "`n$LatencyMs ms latency per request, $($LatencyRecords.ToString('N0')) records, $LatencyRuns runs" -ForegroundColor Cyan
    $latencyOnMain = $Records -eq $LatencyRecords
    if ($latencyOnMain) {
        $latencyTarget = $emulator
        $null = Set-ConfluenceAuditEmulatorConfig -Emulator $emulator -Settings @{ LatencyMs = $LatencyMs }
    } else {
        $latencyTarget = $latencyEmulator
    }
    $latencyConnection = Connect-ConfluenceAudit -BaseUri $latencyTarget.BaseUri -Credential $credential -PassThru
    $latencySequential = Connect-ConfluenceAudit -BaseUri $latencyTarget.BaseUri -Credential $credential -MaxConcurrency 1 -PassThru
    $latencyUris = @(New-PageUris $latencyTarget.BaseUri $LatencyRecords $startMs $endMs)
    # Warm the new connections (and the latency emulator) with a few records; the runs themselves are not repeated.
    $null = Get-ConfluenceAuditRecord @range -First 10 -Connection $latencyConnection
    $null = Get-ConfluenceAuditRecord @range -First 10 -Connection $latencySequential
    $results.LatencySequential = Measure-Case -Name 'Sequential HttpClient loop (unparsed)' -Expect $LatencyRecords -Runs $LatencyRuns -WarmUp 0 -Block {
        foreach ($uri in $latencyUris) { $null = $http.GetByteArrayAsync($uri).GetAwaiter().GetResult() }
        $LatencyRecords
    }
    $results.LatencyModule = Measure-Case -Name 'Get-ConfluenceAuditRecord (default, MaxConcurrency 4)' -Expect $LatencyRecords -Runs $LatencyRuns -WarmUp 0 -Block {
        (Get-ConfluenceAuditRecord @range -Connection $latencyConnection | Measure-Object).Count
    }
    $results.LatencyModule1 = Measure-Case -Name 'Get-ConfluenceAuditRecord -MaxConcurrency 1' -Expect $LatencyRecords -Runs 1 -WarmUp 0 -Block {
        (Get-ConfluenceAuditRecord @range -Connection $latencySequential | Measure-Object).Count
    }
    if ($latencyOnMain) { $null = Set-ConfluenceAuditEmulatorConfig -Emulator $emulator -Settings @{ LatencyMs = 0 } }

    # Requests: what one listing asks of the server (counted in the emulator's log), here and on a 3,000-record emulator.
    Write-Host "`nRequests per listing, from the emulator's log (default connection, MaxConcurrency 4)" -ForegroundColor Cyan
    Clear-ConfluenceAuditEmulatorRequest $emulator
    $listed = (Get-ConfluenceAuditRecord @range | Measure-Object).Count
    $main = Get-PageRequestCount $emulator -EndAt $Records
    $mainNeeded = [math]::Ceiling(($Records - 1) / ($PageSize - 1)) + 1
    Write-Host ("  {0,-58}{1} requests ({2} needed), {3} records, {4} sent twice, {5} past the end" -f "$($Records.ToString('N0')) records", $main.Requests, $mainNeeded, $listed, $main.Repeated, $main.PastEnd)
    $results.Requests = @([pscustomobject]@{ Name = "$($Records.ToString('N0')) records at a cap of 1,000 ($mainNeeded needed)"; Records = $listed; Requests = $main.Requests; Most = $mainNeeded + 3; Repeated = $main.Repeated; PastEnd = $main.PastEnd }) +
        @(Measure-RequestEconomy -Configuration $Configuration -Credential $credential -TempDir $tempDir)

    # Memory: each size in its own fresh process, smallest first, so no peak is shared.
    Write-Host "`nPeak memory of one listing, each in a fresh child process" -ForegroundColor Cyan
    $memorySizes = @(10000, 100000) + @(if ($Million) { 1000000 })
    $results.Memory = foreach ($size in $memorySizes) {
        $m = Invoke-Child -ArgumentList @('-Mode', 'Memory', '-ModulePath', $ModulePath, '-EmulatorModulePath', $EmulatorModulePath, '-BaseUri', $emulator.BaseUri,
            '-First', $size, '-StartDate', $begin.UtcDateTime.ToString('o'), '-EndDate', $end.UtcDateTime.ToString('o'))
        if ([long]$m.Records -ne $size) { throw "The memory run listed $($m.Records) records, expected $size." }
        Write-Host ("  {0,9:N0} records: peak working set {1,7:N1} MB (after import and connect {2:N1} MB), {3:N2} s" -f $size, ($m.PeakBytes / 1MB), ($m.BaselineBytes / 1MB), $m.Seconds)
        [pscustomobject]@{ Records = $size; Runs = 1; RecordsPerSec = $size / $m.Seconds; Median = $m.Seconds; Min = $m.Seconds; Max = $m.Seconds; PeakMB = $m.PeakBytes / 1MB; BaselineMB = $m.BaselineBytes / 1MB; Seconds = $m.Seconds; PeakReset = [bool]$m.PeakReset }
    }

    Write-Host "`nImport-Module in fresh child processes ($ImportRuns, after one uncounted)" -ForegroundColor Cyan
    $null = Invoke-Child -ArgumentList @('-Mode', 'Import', '-ModulePath', $ModulePath)
    $importTimes = foreach ($i in 1..$ImportRuns) { (Invoke-Child -ArgumentList @('-Mode', 'Import', '-ModulePath', $ModulePath)).ImportMs }
    $results.Import = [pscustomobject]@{
        Median = Get-Median $importTimes
        Min    = ($importTimes | Measure-Object -Minimum).Minimum
        Max    = ($importTimes | Measure-Object -Maximum).Maximum
    }
    Write-Host ("  Import-Module: median {0:N0} ms (min {1:N0}, max {2:N0})" -f $results.Import.Median, $results.Import.Min, $results.Import.Max)
}
finally {
    $ProgressPreference = $savedProgress
    if ($http) { $http.Dispose() }
    Disconnect-ConfluenceAudit -ErrorAction Ignore
    $emulator | Stop-ConfluenceAuditEmulator
    if ($latencyEmulator) { $latencyEmulator | Stop-ConfluenceAuditEmulator }
    Remove-Item -LiteralPath $tempDir -Recurse -Force -ErrorAction Ignore
}

#region report

$floor = $results.Download.Median + $results.Pipeline.Median
$memSmall = $results.Memory | Where-Object Records -eq 10000
$memLarge = $results.Memory | Sort-Object Records | Select-Object -Last 1
$memDelta = $memLarge.PeakMB - $memSmall.PeakMB
$ratioIrm = $results.Irm.Median / $results.Module.Median
$ratioFloor = $results.Module.Median / $floor
$ratioLatency = $results.LatencySequential.Median / $results.LatencyModule.Median
$ratioLatency1 = $results.LatencySequential.Median / $results.LatencyModule1.Median
$downloadShare = $results.Download.Median / $results.Module.Median
$download4Share = $results.Download4.Median / $results.Module.Median

function Format-Met([bool] $Met) { if ($Met) { 'met' } else { '**not met**' } }
function Format-Row($r, [string] $Label) {
    '| {0} | {1:N0} | {2:N3} | {3:N3} | {4:N3} | {5:N0} |' -f ($Label -replace '\|', '\|'), $r.Records, $r.Median, $r.Min, $r.Max, $r.RecordsPerSec
}

$memoryNote = if ($Million) { '1,000,000' } else { '100,000 (1,000,000 needs -Million)' }
$targets = @(
    [pscustomobject]@{ Target = 'Module vs Invoke-RestMethod loop: at least 15x the records/s'; Result = ('{0:N1}x' -f $ratioIrm); Met = $ratioIrm -ge 15 }
    [pscustomobject]@{ Target = 'Module vs floor (download + pipeline): at most 2x its time'; Result = ('{0:N2}x ({1:N3} s vs {2:N3} s)' -f $ratioFloor, $results.Module.Median, $floor); Met = $ratioFloor -le 2 }
    [pscustomobject]@{ Target = "$LatencyMs ms latency: module at least 3.5x faster than sequential paging"; Result = ('{0:N2}x ({1:N2} s vs {2:N2} s)' -f $ratioLatency, $results.LatencyModule.Median, $results.LatencySequential.Median); Met = $ratioLatency -ge 3.5 }
    [pscustomobject]@{ Target = "Peak memory at $memoryNote records within 100 MB of 10,000"; Result = ('{0:+0.0;-0.0} MB ({1:N1} vs {2:N1} MB)' -f $memDelta, $memLarge.PeakMB, $memSmall.PeakMB); Met = ($memDelta -le 100) -and ($Million -or $memLarge.Records -ge 1000000) }
    [pscustomobject]@{ Target = 'Import-Module under 300 ms'; Result = ('{0:N0} ms' -f $results.Import.Median); Met = $results.Import.Median -lt 300 }
    foreach ($r in $results.Requests) {
        [pscustomobject]@{ Target = "Requests: $($r.Name), at most $($r.Most), none twice, at most 3 past the end"; Result = ('{0} requests, {1} twice{2}' -f $r.Requests, $r.Repeated, $(if ($null -ne $r.PastEnd) { ", $($r.PastEnd) past the end" })); Met = ($r.Requests -le $r.Most) -and ($r.Repeated -eq 0) -and (($null -eq $r.PastEnd) -or ($r.PastEnd -le 3)) }
    }
)
if (-not $Million) {
    # At 100,000 records the memory figure is a proxy: say whether the proxy holds, but do not call the target met.
    $targets[3].Met = $null
    $targets[3].Result += $(if ($memDelta -le 100) { '; holds at 100,000, run -Million for the 1,000,000 figure' } else { '; already over at 100,000' })
}

$lines = [System.Collections.Generic.List[string]]::new()
$lines.Add('| Measurement | Records | Median s | Min s | Max s | Records/s |')
$lines.Add('|---|---:|---:|---:|---:|---:|')
$lines.Add((Format-Row $results.Module '1. `Get-ConfluenceAuditRecord | Measure-Object`'))
$cold = $results.Memory | Where-Object Records -eq ([math]::Min($Records, 100000))
$lines.Add((Format-Row $cold "(info) the same, first listing in a fresh process (from the memory run, $($cold.Records.ToString('N0')) records, 1 run)"))
$lines.Add((Format-Row $results.Irm "2. ``Invoke-RestMethod`` loop over start/limit pages | Measure-Object ($($results.Irm.Runs) runs)"))
$lines.Add((Format-Row $results.Download '3a. Floor: the same pages with one `HttpClient`, unparsed, sequential'))
$lines.Add((Format-Row $results.Pipeline '3b. Floor: `$objects | Measure-Object` (ready-made records)'))
$lines.Add(('| **3. Floor = 3a + 3b** | {0:N0} | {1:N3} | | | {2:N0} |' -f $Records, $floor, ($Records / $floor)))
$lines.Add((Format-Row $results.ScriptProducer '(info) `& { foreach ($o in $objects) { $o } } | Measure-Object`'))
$lines.Add((Format-Row $results.Download4 '(info) the same pages, `HttpClient`, 4 requests in flight'))
$lines.Add((Format-Row $results.ExportCsv '4a. `Get-ConfluenceAuditRecord | Export-Csv`'))
$lines.Add((Format-Row $results.ExportServer '4b. `Export-ConfluenceAudit -Path x.csv` (the server''s CSV export)'))
$lines.Add((Format-Row $results.LatencySequential "5a. $LatencyMs ms latency: sequential ``HttpClient`` loop, unparsed ($LatencyRuns runs)"))
$lines.Add((Format-Row $results.LatencyModule "5b. $LatencyMs ms latency: ``Get-ConfluenceAuditRecord``, default connection (MaxConcurrency 4)"))
$lines.Add((Format-Row $results.LatencyModule1 "5c. $LatencyMs ms latency: ``Get-ConfluenceAuditRecord``, ``-MaxConcurrency 1`` (1 run)"))
if ($results.Contains('Profile')) {
    foreach ($p in $results.Profile) { $lines.Add((Format-Row $p "(profile) $($p.Name)")) }
}
$measurementTable = $lines

$lines = [System.Collections.Generic.List[string]]::new()
$lines.Add('| Records listed | Peak working set | Working set after import and connect | Listing time |')
$lines.Add('|---:|---:|---:|---:|')
foreach ($m in $results.Memory) { $lines.Add(('| {0:N0} | {1:N1} MB | {2:N1} MB | {3:N2} s |' -f $m.Records, $m.PeakMB, $m.BaselineMB, $m.Seconds)) }
$memoryTable = $lines

$lines = [System.Collections.Generic.List[string]]::new()
$lines.Add('| Target | Result | |')
$lines.Add('|---|---|---|')
foreach ($t in $targets) { $lines.Add(('| {0} | {1} | {2} |' -f $t.Target, $t.Result, $(if ($null -eq $t.Met) { 'not measured' } else { Format-Met $t.Met }))) }
$targetTable = $lines

$emulatorCpu = $results.Module.EmulatorCpu
$emulatorNote = @(
    ('The emulator is not the bottleneck when it can serve the pages much faster than the module consumes them. ' +
    'Serving this listing to one sequential `HttpClient` took {0:N3} s ({1:P0} of the module''s {2:N3} s), and {3:N3} s with 4 requests in flight ({4:P0}); ' +
    'while the module listed, the emulator used {5:N2} CPU-seconds per wall-second (1.0 = one core busy), on a machine with {6} logical processors shared by the emulator and PowerShell. ' +
    'A listing is {7:N1} MB of JSON ({8:N0} bytes a record).') -f $results.Download.Median, $downloadShare, $results.Module.Median, $results.Download4.Median, $download4Share, $emulatorCpu, [Environment]::ProcessorCount, ($bytesPerListing / 1MB), ($bytesPerListing / $Records)
    $(if ($downloadShare -lt 0.5) { 'Verdict: the emulator is **not** the bottleneck: serving the pages takes less than half of the module''s time, and the emulator is mostly idle while the module lists.' }
      else { 'Verdict: the emulator **may be** a bottleneck here: serving the pages takes at least half of the module''s time.' })
    ('Garbage collection in PowerShell''s process during one listing (mean of the timed runs): {0:N3} s of pauses ({1:P0} of the listing), {2:N0} MB allocated ({3:N0} bytes a record), {4:N1} full (generation 2) collections.' -f
        $results.Module.GcPause, ($results.Module.GcPause / $results.Module.Median), ($results.Module.Allocated / 1MB), ($results.Module.Allocated / $Records), $results.Module.Gen2)
)

if (Test-Path -LiteralPath '/proc/loadavg') { $machine['Load average'] += "; $((Get-Content -LiteralPath '/proc/loadavg' -Raw).Split(' ')[0..2] -join ' ') when it ended" }
$date = [DateTimeOffset]::UtcNow.ToString('yyyy-MM-dd HH:mm') + ' UTC'
$elapsed = $benchWatch.Elapsed
$header = @(
    '# Benchmarks'
    ''
    'How fast `Get-ConfluenceAuditRecord` lists the audit log, next to what the same listing costs without the module,'
    'measured against the local emulator by `tests/Benchmark/Invoke-Benchmark.ps1`:'
    ''
    '```sh'
    'dotnet tool restore && dotnet pwsh ./build.ps1 Bench            # 100,000 records, about 3 minutes'
    'dotnet tool restore && dotnet pwsh ./build.ps1 Bench -Million   # 1,000,000 records, about 10 minutes'
    '```'
    ''
    'Each run rewrites its own section below (100,000 or 1,000,000 records) and keeps the other.'
)
$md = [System.Collections.Generic.List[string]]::new()
$md.Add("## $($Records.ToString('N0')) records")
$md.Add('')
$md.Add("Run of $date; the benchmark took $([int][math]::Floor($elapsed.TotalMinutes)) min $($elapsed.Seconds) s.")
$md.Add('')
$md.Add('### Machine')
$md.Add('')
$md.Add('| | |')
$md.Add('|---|---|')
foreach ($key in $machine.Keys) { $md.Add("| $key | $($machine[$key]) |") }
$md.Add('')
$md.Add('The load average counts the benchmark''s own threads (PowerShell and the emulator) and anything else running on the machine; on a shared machine the figures vary from run to run, which the min and max columns show.')
$md.Add('')
$md.Add('### Targets')
$md.Add('')
$md.AddRange([string[]]$targetTable)
$md.Add('')
$md.Add('### Measurements')
$md.Add('')
$md.Add("Times of the whole listing, median of $Runs runs after $WarmUp untimed warm-up run(s) unless the row says otherwise; records/s from the median. " +
    "Before the first measurement the module listed the log $ModuleWarmUp times untimed, because .NET compiles code quickly first and optimizes it only once it has run a while (tiered JIT): " +
    "those listings took $(($warmUpTimes | ForEach-Object { '{0:N2} s' -f $_ }) -join ', '). The first listing of a fresh process is slower than the medians below (the row marked ""first listing"").")
$md.Add("All in one PowerShell process (no figure includes process start-up), against one emulator holding $($Records.ToString('N0')) records, one date range for all; `$ProgressPreference was '$savedProgress', as in an interactive session.")
$md.Add('')
$md.AddRange([string[]]$measurementTable)
$md.Add('')
$md.Add(('Export files: `Export-Csv` wrote {0:N1} MB, the server''s CSV export {1:N1} MB.' -f ($csvBytes / 1MB), ($serverCsvBytes / 1MB)))
$md.Add(('Latency rows: the emulator waited {0} ms before answering each request, {1:N0} records ({2} pages and the empty one that ends the listing); the sequential loop is the best any one-page-at-a-time client can do.' -f $LatencyMs, $LatencyRecords, [math]::Ceiling($LatencyRecords / $PageSize)))
$md.Add(('Module with latency vs sequential: default {0:N2}x, -MaxConcurrency 1 {1:N2}x.' -f $ratioLatency, $ratioLatency1))
$md.Add('')
$md.Add('### Requests')
$md.Add('')
$md.Add('Page requests of one listing with the default connection (MaxConcurrency 4), counted in the emulator''s log (the connection''s check is not counted). ' +
    '"Past the end": requests for records from the end of the log on; the request that confirms the end is one of them.')
$md.Add('')
$md.Add('| Listing | Records | Requests | At most | Sent twice | Past the end |')
$md.Add('|---|---:|---:|---:|---:|---:|')
foreach ($r in $results.Requests) { $md.Add(('| {0} | {1:N0} | {2} | {3} | {4} | {5} |' -f $r.Name, $r.Records, $r.Requests, $r.Most, $r.Repeated, $(if ($null -ne $r.PastEnd) { $r.PastEnd } else { '' }))) }
$md.Add('')
$md.Add('### Memory')
$md.Add('')
$md.Add('Each size listed (`Get-ConfluenceAuditRecord -First N | Measure-Object`) in its own fresh `pwsh` process, so no peak is shared. ' +
    $(if (@($results.Memory | Where-Object { -not $_.PeakReset }).Count -eq 0) {
        'The peak is the kernel''s peak resident set (VmHWM, `Process.PeakWorkingSet64`), reset after import and connect, so it is the listing''s own.' }
      else { 'The peak is the process''s lifetime peak working set (`Process.PeakWorkingSet64`).' }))
$md.Add('')
$md.AddRange([string[]]$memoryTable)
$md.Add('')
$md.Add(('`Import-Module` of the built module, timed inside fresh child processes (`Measure-Command {{ Import-Module ... }}`, no process start-up): median {0:N0} ms, min {1:N0}, max {2:N0}, of {3} processes after one uncounted.' -f $results.Import.Median, $results.Import.Min, $results.Import.Max, $ImportRuns))
$md.Add('')
$md.Add('### Is the emulator the bottleneck?')
$md.Add('')
$md.AddRange([string[]]$emulatorNote)

Write-Host ''
Write-Host 'Targets' -ForegroundColor Cyan
$targetTable | Write-Host
Write-Host ''
$emulatorNote | Write-Host
Write-Host ("`nBenchmark took {0:N0} s." -f $elapsed.TotalSeconds)

if ($ResultsPath) {
    $target = [System.IO.Path]::GetFullPath($ResultsPath)
    # One section per size, between markers; a run replaces its own and keeps the other's.
    $sections = [ordered]@{ '100000' = $null; '1000000' = $null }
    if (Test-Path -LiteralPath $target) {
        $old = Get-Content -LiteralPath $target -Raw
        foreach ($key in @($sections.Keys)) {
            if ($old -match "(?s)<!-- bench:$key -->\r?\n(.*?)\r?\n<!-- /bench:$key -->") { $sections[$key] = $Matches[1] }
        }
    }
    $sections["$Records"] = $md -join "`n"
    $file = [System.Collections.Generic.List[string]]::new()
    $file.AddRange([string[]]$header)
    foreach ($key in $sections.Keys) {
        if ($null -eq $sections[$key]) { continue }
        $file.Add('')
        $file.Add("<!-- bench:$key -->")
        $file.Add($sections[$key])
        $file.Add("<!-- /bench:$key -->")
    }
    Set-Content -LiteralPath $target -Value $file -Encoding utf8NoBOM
    Write-Host "Results written to $target" -ForegroundColor Green
}

#endregion

# Measuring helpers of Invoke-Benchmark.ps1, dot-sourced by it: medians, timed cases, child processes, page URLs
# and the machine description the results table starts with.

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

function Measure-Case {
    # Times $Block (which returns how many records it saw), after $WarmUp untimed runs; checks the count.
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [scriptblock] $Block,
        [long] $Expect = -1,
        [int] $Runs = $script:Runs,
        [int] $WarmUp = $script:WarmUp,
        [scriptblock] $Before,
        $Emulator
    )
    Write-Host ("  {0,-58}" -f $Name) -NoNewline
    for ($i = 0; $i -lt $WarmUp; $i++) {
        if ($Before) { & $Before }
        $null = & $Block
    }
    $times = [System.Collections.Generic.List[double]]::new()
    $cpu = [timespan]::Zero
    # This process's garbage collections during the timed runs: pauses, bytes allocated, full (generation 2) collections.
    $gcPause = [timespan]::Zero
    $allocated = 0L
    $gen2 = 0
    $count = $null
    for ($i = 0; $i -lt $Runs; $i++) {
        if ($Before) { & $Before }
        [GC]::Collect()
        [GC]::WaitForPendingFinalizers()
        if ($Emulator) { $Emulator.Process.Refresh(); $cpuBefore = $Emulator.Process.TotalProcessorTime }
        $pauseBefore = [GC]::GetTotalPauseDuration(); $allocatedBefore = [GC]::GetTotalAllocatedBytes($false); $gen2Before = [GC]::CollectionCount(2)
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $count = & $Block
        $watch.Stop()
        $gcPause += [GC]::GetTotalPauseDuration() - $pauseBefore; $allocated += [GC]::GetTotalAllocatedBytes($false) - $allocatedBefore; $gen2 += [GC]::CollectionCount(2) - $gen2Before
        if ($Emulator) { $Emulator.Process.Refresh(); $cpu += $Emulator.Process.TotalProcessorTime - $cpuBefore }
        $times.Add($watch.Elapsed.TotalSeconds)
        if ($Expect -ge 0 -and [long]$count -ne $Expect) { throw "$Name saw $count records, expected $Expect." }
    }
    $median = Get-Median $times
    $result = [pscustomobject]@{
        Name         = $Name
        Records      = if ($Expect -ge 0) { $Expect } else { [long]$count }
        Median       = $median
        Min          = ($times | Measure-Object -Minimum).Minimum
        Max          = ($times | Measure-Object -Maximum).Maximum
        Runs         = $Runs
        # Share of the wall time the emulator spent on the CPU (1.0 = one core busy throughout).
        EmulatorCpu  = if ($Emulator) { $cpu.TotalSeconds / ($times | Measure-Object -Sum).Sum } else { $null }
        # Per run, on average: seconds the garbage collector paused this process, bytes allocated, full collections.
        GcPause      = $gcPause.TotalSeconds / $Runs
        Allocated    = $allocated / $Runs
        Gen2         = $gen2 / $Runs
    }
    $result | Add-Member -NotePropertyName RecordsPerSec -NotePropertyValue ($(if ($median -gt 0) { $result.Records / $median } else { 0 }))
    Write-Host ("{0,9:N3} s  (min {1:N3}, max {2:N3})  {3,12:N0} records/s   runs: {4}" -f $result.Median, $result.Min, $result.Max, $result.RecordsPerSec, (($times | ForEach-Object { $_.ToString('N3') }) -join ' '))
    $result
}

function Invoke-Child {
    param([Parameter(Mandatory)] [string[]] $ArgumentList)
    $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $ChildScript @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "The child process failed (exit code $LASTEXITCODE): $output" }
    @($output)[-1] | ConvertFrom-Json
}

function New-PageUris([string] $BaseUri, [long] $Count, [long] $StartMs, [long] $EndMs) {
    # The pages of the listing, start=0,1000,..., plus the empty one that ends it, as every client must ask for.
    $pages = [math]::Ceiling($Count / $PageSize) + 1
    for ($p = 0; $p -lt $pages; $p++) {
        [uri]"$BaseUri/rest/api/audit?startDate=$StartMs&endDate=$EndMs&start=$($p * $PageSize)&limit=$PageSize"
    }
}

function Get-MachineDescription {
    $memory = if (Test-Path -LiteralPath '/proc/meminfo') {
        $kb = [long]((Select-String -LiteralPath '/proc/meminfo' -Pattern '^MemTotal:\s+(\d+)').Matches[0].Groups[1].Value)
        '{0:N1} GiB' -f ($kb / 1MB)
    } else {
        '{0:N1} GiB' -f ([GC]::GetGCMemoryInfo().TotalAvailableMemoryBytes / 1GB)
    }
    $cpu = if (Test-Path -LiteralPath '/proc/cpuinfo') {
        $line = Select-String -LiteralPath '/proc/cpuinfo' -Pattern '^model name\s*:\s*(.+)$' | Select-Object -First 1
        if ($line) { $line.Matches[0].Groups[1].Value.Trim() }
    }
    $os = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription
    if (Test-Path -LiteralPath '/etc/os-release') {
        $pretty = Select-String -LiteralPath '/etc/os-release' -Pattern '^PRETTY_NAME="?([^"]+)"?' | Select-Object -First 1
        if ($pretty) { $os = "$($pretty.Matches[0].Groups[1].Value), kernel $([Environment]::OSVersion.Version)" }
    }
    [ordered]@{
        'Logical processors' = [Environment]::ProcessorCount
        'CPU'                = if ($cpu) { $cpu } else { 'unknown' }
        'Memory'             = $memory
        'OS'                 = $os
        '.NET'               = [System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        'PowerShell'         = "$($PSVersionTable.PSVersion)"
        'Load average'       = if (Test-Path -LiteralPath '/proc/loadavg') { "$((Get-Content -LiteralPath '/proc/loadavg' -Raw).Split(' ')[0..2] -join ' ') (1, 5, 15 min) when the benchmark started" } else { 'n/a' }
        'Module'             = "ConfluenceAudit $((Import-PowerShellDataFile (Join-Path $ModulePath 'ConfluenceAudit.psd1')).ModuleVersion), $Configuration build"
    }
}

function Get-PageRequestCount {
    # The page requests in an emulator's log since it was last cleared (the connection's check, limit=1, is not one),
    # how many were sent twice, and how many asked for records from -EndAt on (past the end of the log).
    param([Parameter(Mandatory)] $Emulator, [int] $EndAt = [int]::MaxValue)
    $requests = @(Get-ConfluenceAuditEmulatorRequest $Emulator | Where-Object { $_.method -eq 'GET' -and $_.path -like '*/rest/api/audit*' -and $_.query -notmatch '(^|&)limit=1(&|$)' })
    $starts = @($requests | ForEach-Object { if ($_.query -match '(^|&)start=(\d+)') { [int]$Matches[2] } else { 0 } })
    [pscustomobject]@{
        Requests = $requests.Count
        Repeated = $requests.Count - @($requests.query | Sort-Object -Unique).Count
        PastEnd  = @($starts | Where-Object { $_ -ge $EndAt }).Count
    }
}

function Measure-RequestEconomy {
    # The request counts the module's targets name, each counted in the emulator's own log, on an emulator of its own:
    # 3,000 records (dated over the last 90 days) at a server cap of 1,000, with the default connection (MaxConcurrency 4).
    param([Parameter(Mandatory)] [string] $Configuration, [Parameter(Mandatory)] [pscredential] $Credential, [Parameter(Mandatory)] [string] $TempDir)
    $economy = Start-ConfluenceAuditEmulator -Configuration $Configuration -ArgumentList '--records', '3000', '--max-limit', '1000'
    try {
        $c = Connect-ConfluenceAudit -BaseUri $economy.BaseUri -Credential $Credential -PassThru
        $checkpoint = Join-Path $TempDir 'economy.checkpoint'
        Remove-Item -LiteralPath $checkpoint -ErrorAction Ignore
        $null = Get-ConfluenceAuditRecord -Connection $c -CheckpointPath $checkpoint -StartDate ([DateTime]::UtcNow.AddDays(-2))
        $cases = @(
            @{ Name = 'First page short (`-Last 1 -Unit Days`)'; Most = 2; EndAt = 0; Listing = { Get-ConfluenceAuditRecord -Connection $c -Last 1 -Unit Days } }
            @{ Name = 'Incremental run with nothing new (`-CheckpointPath`)'; Most = 2; EndAt = 0; Listing = { Get-ConfluenceAuditRecord -Connection $c -CheckpointPath $checkpoint } }
            @{ Name = '3,000 records at a cap of 1,000'; Most = 7; EndAt = 3000; Listing = { Get-ConfluenceAuditRecord -Connection $c } }
        )
        foreach ($case in $cases) {
            Clear-ConfluenceAuditEmulatorRequest $economy
            $records = @(& $case.Listing).Count
            $count = Get-PageRequestCount $economy -EndAt $(if ($case.EndAt) { $case.EndAt } else { [int]::MaxValue })
            Write-Host ("  {0,-58}{1} requests (at most {2}), {3} records, {4} sent twice{5}" -f $case.Name, $count.Requests, $case.Most, $records, $count.Repeated,
                $(if ($case.EndAt) { ", $($count.PastEnd) past the end" }))
            [pscustomobject]@{ Name = $case.Name; Records = $records; Requests = $count.Requests; Most = $case.Most; Repeated = $count.Repeated; PastEnd = $(if ($case.EndAt) { $count.PastEnd }) }
        }
    }
    finally { $economy | Stop-ConfluenceAuditEmulator }
}

#Requires -Version 7.0
# Incremental pulls (Get-ConfluenceAuditRecord -CheckpointPath / -Follow) against the emulator. What the runs
# delivered is compared, as a multiset of content keys (records have no id; the emulator seeds records identical in
# every field), with what the server holds according to a direct reference listing, so the module is never checked
# against itself. Every scenario prints its figures (runs, records, lost, duplicated) with Write-Host.

BeforeAll {
    $script:Emulator = $null
    $script:Other = $null
    $script:SavedEnvironment = $null
    $script:Helper = $null
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    $script:SavedEnvironment = Save-ConfluenceEnvironment
    Reset-ConfluenceSession

    $script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '300', '--seed', '21'
    $script:Other = Start-ConfluenceAuditEmulator -ArgumentList '--records', '20', '--seed', '22'
    $credential = Get-ConfluenceAuditEmulatorCredential
    $script:Conn = Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential $credential -RetryIntervalSec 0 -MaximumRetryCount 10 -PassThru
    $script:OtherConn = Connect-ConfluenceAudit -BaseUri $script:Other.BaseUri -Credential $credential -RetryIntervalSec 0 -PassThru
    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) ("ca-checkpoint-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $script:Dir | Out-Null
    $script:LongAgo = (Get-Date).AddDays(-100)
    $script:Random = [Random]::new(4711)
    $script:RecordType = [ConfluenceAudit.Models.ConfluenceAuditRecord]

    # A second runspace with the module, for runs that must be stopped (Ctrl+C) or bounded in time.
    $iss = [initialsessionstate]::CreateDefault()
    $iss.ImportPSModule([string[]]@(Join-Path (Get-TestModulePath) 'ConfluenceAudit.psd1'))
    $script:Helper = [runspacefactory]::CreateRunspace($iss)
    $script:Helper.Open()

    function New-CheckpointFile([string] $Name = 'audit') {
        Join-Path $script:Dir ("{0}-{1}.checkpoint" -f $Name, [guid]::NewGuid().ToString('N').Substring(0, 8))
    }

    function Get-Bytes([string] $Path) {
        if (Test-Path -LiteralPath $Path) { [Convert]::ToBase64String([IO.File]::ReadAllBytes($Path)) } else { $null }
    }

    function Read-Checkpoint([string] $Path) { Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json }

    function Get-Litter([string] $Path) {
        # Temporary files a checkpoint write left beside the file.
        @(Get-ChildItem -LiteralPath (Split-Path -Parent $Path) -Filter ((Split-Path -Leaf $Path) + '.*.tmp') -ErrorAction Ignore)
    }

    function Get-NowMs { [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() }

    function Add-Record([int] $Count = 1, [long] $AtMs = -1, $Emulator = $script:Emulator) {
        if ($AtMs -ge 0) { Add-ConfluenceAuditEmulatorRecord -Emulator $Emulator -Count $Count -CreationDate ([DateTimeOffset]::FromUnixTimeMilliseconds($AtMs)) | Out-Null }
        else { Add-ConfluenceAuditEmulatorRecord -Emulator $Emulator -Count $Count | Out-Null }
    }

    function Add-IdenticalRecord([string] $Summary, [long] $AtMs, [int] $Copies = 1) {
        # POST /audit with a creationDate: the same body twice makes two records identical in every field.
        $body = @{ remoteAddress = '198.51.100.7'; summary = $Summary; description = 'identical twin'; category = 'Twins'
            creationDate = $AtMs; author = @{ type = 'user'; displayName = 'Twin Maker' } } | ConvertTo-Json -Compress
        for ($i = 0; $i -lt $Copies; $i++) {
            Invoke-RestMethod -Method Post -Uri "$($script:Emulator.BaseUri)/rest/api/audit" -Headers (Get-AdminAuthorizationHeader) -ContentType 'application/json' -Body $body -NoProxy | Out-Null
        }
    }

    function Get-ServerKey([long] $UpToMs = [long]::MaxValue, [long] $FromMs = [long]::MinValue) {
        # The server's records (FromMs <= creationDate <= UpToMs) as content keys, OLDEST first (ties in insertion order).
        $reference = Get-ReferenceRecord $script:Emulator
        $keys = [Collections.Generic.List[string]]::new()
        for ($i = $reference.Count - 1; $i -ge 0; $i--) {
            $date = [long]$reference[$i].creationDate
            if ($date -ge $FromMs -and $date -le $UpToMs) { $keys.Add((Get-WireRecordKey $reference[$i])) }
        }
        , $keys.ToArray()
    }

    function Compare-KeyMultiset {
        # Lost: expected more often than delivered. Duplicated: delivered more often than expected. Unexpected:
        # delivered but not expected at all (outside the range, or not on the server).
        param([AllowEmptyCollection()] [string[]] $Delivered, [AllowEmptyCollection()] [string[]] $Expected)
        $want = [Collections.Generic.Dictionary[string, int]]::new([StringComparer]::Ordinal)
        $got = [Collections.Generic.Dictionary[string, int]]::new([StringComparer]::Ordinal)
        foreach ($k in @($Expected)) { $want[$k] = 1 + $(if ($want.ContainsKey($k)) { $want[$k] } else { 0 }) }
        foreach ($k in @($Delivered)) { $got[$k] = 1 + $(if ($got.ContainsKey($k)) { $got[$k] } else { 0 }) }
        $lost = 0; $duplicated = 0; $unexpected = 0; $identical = 0; $samples = @()
        foreach ($k in $want.Keys) {
            $g = if ($got.ContainsKey($k)) { $got[$k] } else { 0 }
            if ($want[$k] -gt 1) { $identical += $want[$k] }
            if ($g -lt $want[$k]) { $lost += $want[$k] - $g; $samples += "lost: $k" }
            elseif ($g -gt $want[$k]) { $duplicated += $g - $want[$k]; $samples += "duplicated: $k" }
        }
        foreach ($k in $got.Keys) { if (-not $want.ContainsKey($k)) { $unexpected += $got[$k]; $samples += "unexpected: $k" } }
        [pscustomobject]@{ Lost = $lost; Duplicated = $duplicated; Unexpected = $unexpected; Delivered = @($Delivered).Count
            Expected = @($Expected).Count; Identical = $identical; Sample = @($samples | Select-Object -First 3) -join ' || ' }
    }

    function Get-OrderViolation([object[]] $Records) {
        # How many records are older than the one before them (oldest first means none).
        $n = 0
        for ($i = 1; $i -lt $Records.Count; $i++) { if ($Records[$i].CreationDate -lt $Records[$i - 1].CreationDate) { $n++ } }
        $n
    }

    function Get-ListingRequest($Emulator = $script:Emulator) {
        # The page requests of incremental listings (they carry startDate), query parsed.
        , @(Get-ConfluenceAuditEmulatorRequest $Emulator | Where-Object { $_.query -match 'startDate=' } | ForEach-Object {
                [pscustomobject]@{ Status = $_.status; Query = ConvertFrom-QueryString $_.query; ReceivedMs = [long]$_.receivedMs } })
    }

    function Start-Background {
        # Runs a script in another runspace (the helper one, with the module, when -Module); returns a handle.
        param([scriptblock] $Script, [object[]] $ArgumentList = @(), [switch] $Module)
        $ps = [powershell]::Create()
        if ($Module) { $ps.Runspace = $script:Helper }
        $null = $ps.AddScript($Script.ToString())
        foreach ($argument in $ArgumentList) { $null = $ps.AddArgument($argument) }
        $output = [Management.Automation.PSDataCollection[psobject]]::new()
        $handle = $ps.BeginInvoke([Management.Automation.PSDataCollection[psobject]]::new(), $output)
        [pscustomobject]@{ PowerShell = $ps; Handle = $handle; Output = $output }
    }

    function Wait-Background($Job, [double] $TimeoutSec) {
        # $true when the script ended by itself within the time; else it is stopped and $false returned.
        $ended = $Job.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSec))
        if (-not $ended) { $Job.PowerShell.Stop() }
        $ended
    }

    function Start-Inserter([int] $MaxAgeMs = 60000, [int] $Seed = 17) {
        # Inserts records while runs page: dated now, or up to MaxAgeMs earlier (late arrivals inside the overlap).
        $state = [hashtable]::Synchronized(@{ Stop = $false; Count = 0; Late = 0 })
        $job = Start-Background -ArgumentList $script:Emulator.Url, $state, $MaxAgeMs, $Seed -Script {
            param($Url, $State, $MaxAgeMs, $Seed)
            $random = [Random]::new($Seed)
            while (-not $State.Stop) {
                $now = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
                $date = if ($random.Next(3) -eq 0) { $now } else { $State.Late++; $now - $random.Next(1, $MaxAgeMs) }
                Invoke-RestMethod -Method Post -Uri "$Url/__emulator/records?count=$($random.Next(1, 3))&creationDate=$date" -NoProxy | Out-Null
                $State.Count++
                Start-Sleep -Milliseconds $random.Next(5, 25)
            }
        }
        [pscustomobject]@{ Job = $job; State = $state }
    }

    function Stop-Inserter($Inserter) {
        $Inserter.State.Stop = $true
        Wait-Background $Inserter.Job 10 | Out-Null
        $Inserter.Job.PowerShell.Dispose()
    }

    function Invoke-Incremental([string] $Path, [hashtable] $Extra = @{}) {
        , @(Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $Path @Extra)
    }

    function New-PrimedCheckpoint([int] $NewRecords) {
        # A checkpoint that has delivered everything up to now, then NewRecords records that the next run must deliver
        # (dated up to 60 s back: inside the overlap, some before the checkpoint). Returns the path and their keys.
        $path = New-CheckpointFile 'primed'
        Invoke-Incremental $path @{ StartDate = $script:LongAgo } | Out-Null
        $before = Get-ServerKey
        $now = Get-NowMs
        for ($i = 0; $i -lt $NewRecords; $i++) { Add-Record -AtMs ($now - $script:Random.Next(0, 60000)) }
        $after = Get-ServerKey
        $pending = [Collections.Generic.List[string]]::new([string[]]$after)
        foreach ($k in $before) { [void]$pending.Remove($k) }
        [pscustomobject]@{ Path = $path; NewKeys = $pending.ToArray() }
    }
}

AfterAll {
    if ($script:Helper) { $script:Helper.Dispose() }
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    foreach ($emulator in $script:Emulator, $script:Other) { if ($emulator) { $emulator | Stop-ConfluenceAuditEmulator } }
    if ($script:Dir -and (Test-Path -LiteralPath $script:Dir)) { Remove-Item -LiteralPath $script:Dir -Recurse -Force -ErrorAction Ignore }
}

Describe 'The first run and the checkpoint file' {
    BeforeAll { $script:FirstPath = New-CheckpointFile 'first' }

    It 'without a file and without -StartDate stops with CheckpointNotFound and sends no request' {
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        $err = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $script:FirstPath }
        $requests = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator)
        Write-Host "CheckpointNotFound: error '$($err.FullyQualifiedErrorId)', requests sent: $($requests.Count)"

        $err.FullyQualifiedErrorId | Should -BeLike 'CheckpointNotFound,*'
        $err.Exception.Message | Should -Match '-StartDate' -Because 'it says how to begin'
        $requests.Count | Should -Be 0
        Test-Path -LiteralPath $script:FirstPath | Should -BeFalse
    }

    It 'with -StartDate delivers every record since then, oldest first, and writes readable JSON naming the base URL' {
        $start = (Get-Date).AddDays(-45)
        $startMs = ([DateTimeOffset]$start).ToUnixTimeMilliseconds()
        $before = Get-NowMs
        $records = Invoke-Incremental $script:FirstPath @{ StartDate = $start }
        $after = Get-NowMs
        $expected = Get-ServerKey -FromMs $startMs -UpToMs $before
        $text = Get-Content -LiteralPath $script:FirstPath -Raw
        $checkpoint = $text | ConvertFrom-Json
        $diff = Compare-KeyMultiset -Delivered @($records | Get-RecordKey) -Expected $expected
        Write-Host ("First run: {0} records delivered, {1} on the server since -StartDate, lost {2}, duplicated {3}, out of order {4}; site {5}, position {6}" -f
            $records.Count, $expected.Count, $diff.Lost, $diff.Duplicated, (Get-OrderViolation $records), $checkpoint.site, $checkpoint.position)

        $records.Count | Should -BeGreaterThan 50
        Compare-Sequence -Actual @($records | Get-RecordKey) -Expected $expected | Should -BeNullOrEmpty -Because 'every record since -StartDate, once, oldest first'
        Get-OrderViolation $records | Should -Be 0
        $checkpoint.site | Should -Be $script:Emulator.BaseUri -Because 'the file names the full base URL of its site'
        $checkpoint.positionEpochMs | Should -BeGreaterOrEqual $before
        $checkpoint.positionEpochMs | Should -BeLessOrEqual $after
        $text | Should -Match "\n\s+`"site`"" -Because 'the file is indented JSON a person can read'
        $text | Should -Match '"position": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"'
        @(Get-Litter $script:FirstPath).Count | Should -Be 0
    }

    It 'a later run ignores -StartDate, says so, and continues from the checkpoint' {
        $checkpoint = Read-Checkpoint $script:FirstPath
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        $out = @(Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $script:FirstPath -StartDate (Get-Date).AddDays(-1000) -Verbose 4>&1)
        $records = @($out | Where-Object { $_ -is $script:RecordType })
        $verbose = @($out | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $listing = Get-ListingRequest
        $firstStart = [long]$listing[0].Query['startDate']
        Write-Host "Second run with -StartDate 1000 days back: $($records.Count) records; first request's startDate is $(([long]$checkpoint.positionEpochMs - $firstStart) / 1000) s before the checkpoint"

        $verbose -match '-StartDate is ignored' | Should -Not -BeNullOrEmpty
        $records.Count | Should -Be 0 -Because 'nothing was created since the first run'
        $firstStart | Should -Be ([long]$checkpoint.positionEpochMs - 300000) -Because 'it re-reads the 5-minute overlap before the checkpoint, not from -StartDate'
    }

    It "a later run never delivers records dated before the first run's -StartDate" {
        # Records dated 90 s ago; the first run begins 30 s ago. The next run re-reads 5 minutes before its checkpoint,
        # which reaches back past -StartDate: what it finds there was never meant to be delivered.
        $now = Get-NowMs
        Add-Record -Count 2 -AtMs ($now - 90000)
        $path = New-CheckpointFile 'floor'
        $startMs = $now - 30000
        $first = Invoke-Incremental $path @{ StartDate = [DateTimeOffset]::FromUnixTimeMilliseconds($startMs).UtcDateTime }
        $second = Invoke-Incremental $path
        $early = @(@($first) + @($second) | Where-Object { $_.CreationDate.ToUnixTimeMilliseconds() -lt $startMs })
        Write-Host "-StartDate 30 s back: first run $($first.Count) records, second run $($second.Count); delivered although dated before -StartDate: $($early.Count)"

        $early.Count | Should -Be 0 -Because 'records dated before -StartDate are outside what the checkpoint follows'
    }

    It '-PageSize is honoured with -CheckpointPath' {
        $primed = New-PrimedCheckpoint -NewRecords 20
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        $records = Invoke-Incremental $primed.Path @{ PageSize = 7 }
        $limits = @(foreach ($request in (Get-ListingRequest)) { [int]$request.Query['limit'] })
        Write-Host "-PageSize 7 with -CheckpointPath: $($records.Count) records in $($limits.Count) requests asking for limit $(@($limits | Sort-Object -Unique) -join ', ')"

        $records.Count | Should -Be 20
        $limits | Should -Not -BeNullOrEmpty
        $limits | ForEach-Object { $_ | Should -BeLessOrEqual 7 }
    }
}

Describe 'Many incremental runs with records arriving between and during them' {
    It 'the union of 16 runs equals the server''s records up to the last run''s start: 0 lost, 0 duplicated' {
        $path = New-CheckpointFile 'many'
        $delivered = [Collections.Generic.List[string]]::new()
        $violations = 0; $sameMs = 0; $late = 0; $twins = 0; $runs = 0
        Clear-ConfluenceAuditEmulatorStat -Emulator $script:Emulator
        # The server caps pages at 25 records, so runs page while records arrive inside their range.
        Set-ConfluenceAuditEmulatorConfig $script:Emulator @{ maxLimit = 25 } | Out-Null
        $inserter = Start-Inserter -MaxAgeMs 60000
        try {
            $records = Invoke-Incremental $path @{ StartDate = $script:LongAgo }
            $runs++
            $records | Get-RecordKey | ForEach-Object { $delivered.Add($_) }
            $violations += Get-OrderViolation $records
            $pendingTwin = $null
            for ($run = 2; $run -le 15; $run++) {
                $position = [long](Read-Checkpoint $path).positionEpochMs
                # Records sharing the checkpoint's millisecond, and the newest delivered record's millisecond.
                Add-Record -Count 2 -AtMs $position; $sameMs += 2
                if ($records.Count -gt 0) { Add-Record -AtMs $records[-1].CreationDate.ToUnixTimeMilliseconds(); $sameMs++ }
                # Late arrivals dated a little before the checkpoint, inside the 5-minute overlap.
                Add-Record -Count 2 -AtMs ($position - $script:Random.Next(1000, 120000)); $late += 2
                Add-Record -Count 3
                # Identical records: one copy now, the second (same content, same millisecond) before the next run.
                if ($pendingTwin) { Add-IdenticalRecord -Summary $pendingTwin.Summary -AtMs $pendingTwin.AtMs; $twins++; $pendingTwin = $null }
                if ($run % 3 -eq 0) {
                    $pendingTwin = @{ Summary = "twin before run $run"; AtMs = $position - 5000 }
                    Add-IdenticalRecord -Summary $pendingTwin.Summary -AtMs $pendingTwin.AtMs; $twins++
                }
                # Every other run, the emulator also inserts records dated now before answering each page.
                $insert = if ($run % 2) { 2 } else { 0 }
                Set-ConfluenceAuditEmulatorFault -Emulator $script:Emulator -Settings @{ InsertPerRequest = $insert } | Out-Null
                $records = Invoke-Incremental $path
                $runs++
                $records | Get-RecordKey | ForEach-Object { $delivered.Add($_) }
                $violations += Get-OrderViolation $records
            }
        }
        finally {
            Stop-Inserter $inserter
            Clear-ConfluenceAuditEmulatorFault -Emulator $script:Emulator
            Set-ConfluenceAuditEmulatorConfig $script:Emulator @{ maxLimit = 1000 } | Out-Null
        }
        $insertedByEmulator = (Get-ConfluenceAuditEmulatorStat -Emulator $script:Emulator).RecordsInserted

        # The last run, with nothing arriving meanwhile; one record dated in the future must wait for a later run.
        Add-Record -AtMs ((Get-NowMs) + 600000)
        $records = Invoke-Incremental $path
        $runs++
        $records | Get-RecordKey | ForEach-Object { $delivered.Add($_) }
        $violations += Get-OrderViolation $records
        $position = [long](Read-Checkpoint $path).positionEpochMs
        $expected = Get-ServerKey -UpToMs $position
        $diff = Compare-KeyMultiset -Delivered $delivered.ToArray() -Expected $expected
        Write-Host ("Many runs: runs {0}, records delivered {1}, server records up to the last run's start {2} (of {3}); lost {4}, duplicated {5}, unexpected {6}, out of order {7}" -f
            $runs, $diff.Delivered, $diff.Expected, (Get-ConfluenceAuditEmulatorRecordCount $script:Emulator), $diff.Lost, $diff.Duplicated, $diff.Unexpected, $violations)
        Write-Host ("  inserted while runs paged: {0} by a background thread ({1} dated up to 60 s back), {2} by the emulator per page request; between runs: {3} sharing the checkpoint's or the last record's millisecond, {4} late arrivals before the checkpoint, {5} identical twins; identical records on the server: {6}. {7}" -f
            $inserter.State.Count, $inserter.State.Late, $insertedByEmulator, $sameMs, $late, $twins, $diff.Identical, $diff.Sample)

        $diff.Lost | Should -Be 0
        $diff.Duplicated | Should -Be 0
        $diff.Unexpected | Should -Be 0 -Because 'the record dated in the future waits for a later run'
        $violations | Should -Be 0 -Because 'each run writes oldest first'
        $diff.Identical | Should -BeGreaterOrEqual 4 -Because 'the test must include records identical in every field'
        $inserter.State.Count | Should -BeGreaterThan 0
        @(Get-Litter $path).Count | Should -Be 0
    }
}

Describe 'Runs killed at random points (child processes)' {
    It 'loses nothing: every server record reaches the CSV at least once, and the committed runs exactly once' {
        # The guarantee asserted: (1) at-least-once overall: after a final clean run, every record the server holds up to
        # the final checkpoint appears in the CSV files at least as often as on the server; (2) exactly-once over the
        # runs that committed their checkpoint: their rows together equal the server's records exactly, so what a killed
        # run wrote is only ever delivered again, never instead; (3) the checkpoint file is always absent (before the
        # first commit) or a complete, valid checkpoint of this site.
        # Each run is `Get-ConfluenceAuditRecord -CheckpointPath f -StartDate d | (slow forwarder) | Export-Csv -Append`
        # in its own pwsh process; 'paging' kills it while it pages, 'writing' once its CSV has rows on disk.
        $path = New-CheckpointFile 'killed'
        $runner = Join-Path $PSScriptRoot 'Checkpoint.Runner.ps1'
        $pwsh = Join-Path $PSHOME 'pwsh.dll'
        $startMs = ([DateTimeOffset]$script:LongAgo).ToUnixTimeMilliseconds()
        $plan = 'paging', 'writing', 'finish', 'writing', 'paging', 'finish', 'writing', 'finish', 'finish'
        $results = @()
        Set-ConfluenceAuditEmulatorConfig $script:Emulator @{ latencyMs = 10; maxLimit = 40 } | Out-Null
        try {
            for ($i = 0; $i -lt $plan.Count; $i++) {
                $final = $i -eq $plan.Count - 1
                $now = Get-NowMs
                for ($k = 0; $k -lt 60; $k++) { Add-Record -AtMs ($now - $script:Random.Next(0, 30000)) }
                $insert = if ($final) { 0 } else { 1 }
                Set-ConfluenceAuditEmulatorFault -Emulator $script:Emulator -Settings @{ InsertPerRequest = $insert } | Out-Null
                Clear-ConfluenceAuditEmulatorRequest $script:Emulator
                $csv = Join-Path $script:Dir ("killed-run-{0:00}.csv" -f $i)
                $before = Get-Bytes $path
                $info = [Diagnostics.ProcessStartInfo]::new('dotnet')
                foreach ($a in $pwsh, '-NoProfile', '-NonInteractive', '-File', $runner, '-BaseUri', $script:Emulator.BaseUri, '-CheckpointPath', $path,
                    '-CsvPath', $csv, '-StartEpochMs', "$startMs", '-DelayMs', '4') { $info.ArgumentList.Add([string]$a) }
                $info.UseShellExecute = $false
                $info.RedirectStandardError = $true
                $info.RedirectStandardOutput = $true
                $process = [Diagnostics.Process]::Start($info)
                $stderr = $process.StandardError.ReadToEndAsync()
                $null = $process.StandardOutput.ReadToEndAsync()
                $killed = $false
                if ($plan[$i] -ne 'finish') {
                    $deadline = [DateTime]::UtcNow.AddSeconds(30)
                    if ($plan[$i] -eq 'paging') {
                        $threshold = $script:Random.Next(1, 4)
                        while (-not $process.HasExited -and (Get-ListingRequest).Count -lt $threshold -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 5 }
                        Start-Sleep -Milliseconds $script:Random.Next(0, 30)
                    }
                    else {
                        while (-not $process.HasExited -and -not ((Test-Path -LiteralPath $csv) -and (Get-Item -LiteralPath $csv).Length -gt 0) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 5 }
                        Start-Sleep -Milliseconds $script:Random.Next(0, 150)
                    }
                    if (-not $process.HasExited) { $process.Kill(); $killed = $true }
                }
                if (-not $process.WaitForExit(60000)) { $process.Kill(); throw "Run $i did not end within 60 s." }
                $after = Get-Bytes $path
                $valid = $true
                if ($null -ne $after) {
                    try { $c = Read-Checkpoint $path; if ($null -eq $c.positionEpochMs -or $c.site -ne $script:Emulator.BaseUri) { $valid = $false } } catch { $valid = $false }
                }
                $rows = @(if (Test-Path -LiteralPath $csv) { Import-Csv -LiteralPath $csv })
                $cut = 0
                # A process killed before it committed may have left its last row half-written (fields can hold line
                # breaks): ignore that row. One killed after committing had closed its CSV already.
                if ($killed -and $after -eq $before -and $rows.Count -gt 0) { $rows = @($rows | Select-Object -SkipLast 1); $cut = 1 }
                $results += [pscustomobject]@{
                    Run = $i; Plan = $plan[$i]; Killed = $killed; ExitCode = $(if ($killed) { 'killed' } else { $process.ExitCode }); Committed = ($after -ne $before)
                    Valid = $valid; Keys = @($rows | ForEach-Object { if ($_.PSObject.Properties['ContentKey']) { $_.ContentKey } } | Where-Object { $_ })
                    Rows = $rows.Count; Cut = $cut; Requests = (Get-ListingRequest).Count; Error = $stderr.Result.Trim()
                }
            }
        }
        finally {
            Clear-ConfluenceAuditEmulatorFault -Emulator $script:Emulator
            Set-ConfluenceAuditEmulatorConfig $script:Emulator @{ latencyMs = 0; maxLimit = 1000 } | Out-Null
        }

        $position = [long](Read-Checkpoint $path).positionEpochMs
        $expected = Get-ServerKey -UpToMs $position
        $all = Compare-KeyMultiset -Delivered @($results | ForEach-Object { $_.Keys }) -Expected $expected
        $committed = Compare-KeyMultiset -Delivered @($results | Where-Object Committed | ForEach-Object { $_.Keys }) -Expected $expected
        $uncommitted = @($results | Where-Object { $_.Killed -and -not $_.Committed })
        $uncommittedRows = @($uncommitted | ForEach-Object { $_.Keys }).Count
        foreach ($r in $results) {
            Write-Host ("  run {0}: {1,-7} {2,-6} exit {3,-6} committed {4,-5} checkpoint valid {5,-5} page requests {6,3} CSV rows {7,4} (+{8} ignored) {9}" -f
                $r.Run, $r.Plan, $(if ($r.Killed) { 'killed' } else { 'ran' }), $r.ExitCode, $r.Committed, $r.Valid, $r.Requests, $r.Rows, $r.Cut, $r.Error)
        }
        Write-Host ("Killed runs: {0} runs, {1} killed ({2} before committing, their CSVs hold {3} rows), server records {4}; all CSV rows {5}: lost {6}, delivered again {7}, unexpected {8}; committed runs' rows {9}: lost {10}, duplicated {11}, unexpected {12}; temporary files left {13}" -f
            $results.Count, @($results | Where-Object Killed).Count, $uncommitted.Count, $uncommittedRows, $expected.Count, $all.Delivered, $all.Lost, $all.Duplicated, $all.Unexpected,
            $committed.Delivered, $committed.Lost, $committed.Duplicated, $committed.Unexpected, @(Get-Litter $path).Count)

        @($results | Where-Object { -not $_.Killed -and $_.ExitCode -ne 0 }) | Should -BeNullOrEmpty -Because 'the runs that were not killed completed'
        @($results | Where-Object { -not $_.Valid }) | Should -BeNullOrEmpty -Because 'the checkpoint is never half-written'
        $uncommitted.Count | Should -BeGreaterOrEqual 2 -Because 'some runs must have been killed before committing for the test to mean anything'
        $all.Lost | Should -Be 0 -Because 'at-least-once: nothing is lost, whatever was killed'
        $all.Unexpected | Should -Be 0
        $committed.Lost | Should -Be 0
        $committed.Duplicated | Should -Be 0 -Because 'the runs that committed delivered each record exactly once'
        $committed.Unexpected | Should -Be 0
        $all.Duplicated | Should -Be $uncommittedRows -Because 'every row a killed run wrote before it committed is delivered again by a later run'
    }
}

Describe 'A failing pipeline, Ctrl+C and Select-Object -First' {
    It 'a downstream command that throws leaves the checkpoint byte-identical; the next run delivers that window again' {
        $primed = New-PrimedCheckpoint -NewRecords 40
        $before = Get-Bytes $primed.Path
        $script:taken = 0
        $err = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $primed.Path | ForEach-Object { if (++$script:taken -ge 5) { throw 'the SIEM refused the record' }; $_ } }
        $unchanged = (Get-Bytes $primed.Path) -eq $before
        $again = Invoke-Incremental $primed.Path
        $diff = Compare-KeyMultiset -Delivered @($again | Get-RecordKey) -Expected $primed.NewKeys
        Write-Host "Downstream throw after $($script:taken) records: checkpoint unchanged $unchanged; next run delivered $($again.Count) of $($primed.NewKeys.Count) (lost $($diff.Lost), duplicated $($diff.Duplicated))"

        "$err" | Should -Match 'SIEM refused'
        $unchanged | Should -BeTrue
        @(Get-Litter $primed.Path).Count | Should -Be 0
        $diff.Lost | Should -Be 0
        $diff.Duplicated | Should -Be 0
        $diff.Unexpected | Should -Be 0
    }

    It 'a downstream command that fails after receiving every record (<Case>) leaves the checkpoint unchanged' -ForEach @(
        @{ Case = 'a batch upload in its end block'; Message = 'upload failed'
            Downstream = { param($Path) Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $Path | ForEach-Object -Process { $_ } -End { throw 'the batch upload failed' } } }
        @{ Case = 'Sort-Object feeding a command that throws'; Message = 'SIEM refused'
            Downstream = { param($Path) Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $Path | Sort-Object CreationDate | ForEach-Object { throw 'the SIEM refused the record' } } }
    ) {
        # The pipeline did not complete, so the records may not have got through.
        $primed = New-PrimedCheckpoint -NewRecords 10
        $before = Get-Bytes $primed.Path
        $err = Invoke-Captured { & $Downstream $primed.Path }
        $unchanged = (Get-Bytes $primed.Path) -eq $before
        $again = Invoke-Incremental $primed.Path
        Write-Host "Failure after the last record was written ($Case): checkpoint unchanged $unchanged; the next run delivered $($again.Count) of the $($primed.NewKeys.Count) records again"

        "$err" | Should -Match $Message
        $unchanged | Should -BeTrue -Because 'the pipeline failed'
        $again.Count | Should -Be $primed.NewKeys.Count
    }

    It 'Ctrl+C (Stop()) mid-run leaves the checkpoint unchanged; the next run delivers that window again' {
        $primed = New-PrimedCheckpoint -NewRecords 40
        $before = Get-Bytes $primed.Path
        $job = Start-Background -Module -ArgumentList $script:Conn, $primed.Path -Script {
            param($Connection, $Path)
            Get-ConfluenceAuditRecord -Connection $Connection -CheckpointPath $Path | ForEach-Object { Start-Sleep -Milliseconds 30; $_ }
        }
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        while ($job.Output.Count -lt 3 -and -not $job.Handle.IsCompleted -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 10 }
        $written = $job.Output.Count
        $job.PowerShell.Stop()
        $state = $job.PowerShell.InvocationStateInfo.State
        $job.PowerShell.Dispose()
        $unchanged = (Get-Bytes $primed.Path) -eq $before
        $again = Invoke-Incremental $primed.Path
        $diff = Compare-KeyMultiset -Delivered @($again | Get-RecordKey) -Expected $primed.NewKeys
        Write-Host "Stop() after $written of $($primed.NewKeys.Count) records: state $state, checkpoint unchanged $unchanged; next run delivered $($again.Count) (lost $($diff.Lost), duplicated $($diff.Duplicated))"

        $written | Should -BeGreaterOrEqual 3
        $written | Should -BeLessThan $primed.NewKeys.Count -Because 'the run was stopped mid-way'
        "$state" | Should -Be 'Stopped'
        $unchanged | Should -BeTrue
        @(Get-Litter $primed.Path).Count | Should -Be 0
        $diff.Lost | Should -Be 0
        $diff.Duplicated | Should -Be 0
        $diff.Unexpected | Should -Be 0
    }

    It '| Select-Object -First 10 moves the checkpoint exactly past the 10 records taken' {
        $primed = New-PrimedCheckpoint -NewRecords 25
        $taken = @(Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $primed.Path | Select-Object -First 10)
        $rest = Invoke-Incremental $primed.Path
        $takenKeys = @($taken | Get-RecordKey)
        $restKeys = @($rest | Get-RecordKey)
        $diff = Compare-KeyMultiset -Delivered ($takenKeys + $restKeys) -Expected $primed.NewKeys
        $repeated = @($restKeys | Where-Object { $_ -in $takenKeys }).Count
        Write-Host "Select-Object -First 10: took $($taken.Count), the next run delivered $($rest.Count) (expected $($primed.NewKeys.Count - 10)); repeated $repeated, lost $($diff.Lost), duplicated $($diff.Duplicated)"

        Compare-Sequence -Actual $takenKeys -Expected @($primed.NewKeys | Select-Object -First 10) | Should -BeNullOrEmpty -Because 'the 10 oldest come first'
        $diff.Lost | Should -Be 0
        $diff.Duplicated | Should -Be 0 -Because 'the 10 records taken count as delivered'
        $rest.Count | Should -Be ($primed.NewKeys.Count - 10)
    }
}

Describe 'Checkpoints that do not fit, and parameters that make no sense' {
    BeforeAll {
        $script:SitePath = New-CheckpointFile 'site'
        Invoke-Incremental $script:SitePath @{ StartDate = (Get-Date).AddDays(-1) } | Out-Null
    }

    It 'a checkpoint of another site stops with CheckpointSiteMismatch, sends no request and is left untouched' {
        $before = Get-Bytes $script:SitePath
        Clear-ConfluenceAuditEmulatorRequest $script:Other
        $err = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:OtherConn -CheckpointPath $script:SitePath }
        $sent = @(Get-ConfluenceAuditEmulatorRequest $script:Other).Count

        # Same host and port, another context path: one host can serve several sites.
        $edited = New-CheckpointFile 'context-path'
        (Get-Content -LiteralPath $script:SitePath -Raw).Replace("`"$($script:Emulator.BaseUri)`"", "`"$($script:Emulator.Url)/confluence`"") | Set-Content -LiteralPath $edited -NoNewline
        $editedBefore = Get-Bytes $edited
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        $err2 = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $edited }
        $sent2 = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count
        Write-Host "Site mismatch: other emulator -> '$($err.FullyQualifiedErrorId)' ($sent requests); other context path on the same host -> '$($err2.FullyQualifiedErrorId)' ($sent2 requests)"

        $err.FullyQualifiedErrorId | Should -BeLike 'CheckpointSiteMismatch,*'
        $err.Exception.Message | Should -BeLike "*$($script:Emulator.BaseUri)*"
        $sent | Should -Be 0
        (Get-Bytes $script:SitePath) | Should -Be $before
        $err2.FullyQualifiedErrorId | Should -BeLike 'CheckpointSiteMismatch,*'
        $sent2 | Should -Be 0
        (Get-Bytes $edited) | Should -Be $editedBefore
    }

    It '<Case> stops with CheckpointInvalid, names the file, sends no request and is left untouched' -ForEach @(
        @{ Case = 'a file that is not JSON'; Content = { '{ this is not json' } }
        @{ Case = 'a half-written checkpoint'; Content = { $t = Get-Content -LiteralPath $script:SitePath -Raw; $t.Substring(0, [int]($t.Length / 2)) } }
        @{ Case = 'an empty file'; Content = { '' } }
        @{ Case = 'a JSON file of another kind'; Content = { '{"version":1,"records":[]}' } }
        @{ Case = 'a checkpoint of a future format'; Content = { (Get-Content -LiteralPath $script:SitePath -Raw).Replace('"version": 1', '"version": 99') } }
    ) {
        $path = New-CheckpointFile 'corrupt'
        [IO.File]::WriteAllText($path, (& $Content))
        $before = Get-Bytes $path
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        $err = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $path -StartDate (Get-Date).AddDays(-1) }
        $sent = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count
        Write-Host "Corrupt ($Case): '$($err.FullyQualifiedErrorId)', requests $sent, file unchanged $((Get-Bytes $path) -eq $before)"

        $err.FullyQualifiedErrorId | Should -BeLike 'CheckpointInvalid,*'
        $err.Exception.Message | Should -BeLike "*$path*"
        $sent | Should -Be 0
        (Get-Bytes $path) | Should -Be $before
        @(Get-Litter $path).Count | Should -Be 0
    }

    It '<Parameter> with -CheckpointPath stops with CheckpointParameterConflict before any request' -ForEach @(
        @{ Parameter = '-EndDate'; Extra = @{ EndDate = (Get-Date) } }
        @{ Parameter = '-First'; Extra = @{ First = 5 } }
        @{ Parameter = '-Skip'; Extra = @{ Skip = 2 } }
        @{ Parameter = '-Last/-Unit'; Extra = @{ Last = 3; Unit = 'Days' } }
    ) {
        $before = Get-Bytes $script:SitePath
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        $err = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $script:SitePath @Extra }
        $sent = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count
        Write-Host "$Parameter with -CheckpointPath: '$($err.FullyQualifiedErrorId)', requests $sent"

        $err.FullyQualifiedErrorId | Should -BeLike 'CheckpointParameterConflict,*'
        $sent | Should -Be 0
        (Get-Bytes $script:SitePath) | Should -Be $before
    }

    It 'a -SearchString other than the checkpoint''s stops with CheckpointSearchMismatch before any request' {
        $path = New-CheckpointFile 'search'
        $first = Invoke-Incremental $path @{ StartDate = $script:LongAgo; SearchString = 'page' }
        $before = Get-Bytes $path
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        $other = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $path -SearchString 'space' }
        $none = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $path }
        $sent = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count
        $same = Invoke-Captured { Get-ConfluenceAuditRecord -Connection $script:Conn -CheckpointPath $path -SearchString 'page' }
        Write-Host "Search mismatch: first run with 'page' delivered $($first.Count); 'space' -> '$($other.FullyQualifiedErrorId)', none -> '$($none.FullyQualifiedErrorId)', requests $sent; 'page' again -> $(if ($same) { $same.FullyQualifiedErrorId } else { 'ok' })"

        $first.Count | Should -BeGreaterThan 0
        $other.FullyQualifiedErrorId | Should -BeLike 'CheckpointSearchMismatch,*'
        $none.FullyQualifiedErrorId | Should -BeLike 'CheckpointSearchMismatch,*'
        $sent | Should -Be 0
        (Get-Bytes $path) | Should -Not -BeNullOrEmpty
        $same | Should -BeNullOrEmpty
        (Read-Checkpoint $path).searchString | Should -Be 'page'
    }
}

Describe 'Throttling and interrupted responses during incremental runs' {
    It '429, 503, dropped and short pages with -RetryIntervalSec 0: 0 lost, 0 duplicated' {
        $path = New-CheckpointFile 'throttled'
        $delivered = [Collections.Generic.List[string]]::new()
        Clear-ConfluenceAuditEmulatorStat -Emulator $script:Emulator
        $faults = @{ FailureRate = 0.3; Kinds = '429', '503', '503-plain', 'drop', 'short'; RetryAfterSec = 0; Seed = 99; Path = '/wiki/rest/api/audit'; Method = 'GET' }
        $runs = 0
        try {
            for ($run = 1; $run -le 6; $run++) {
                if ($run -gt 1) {
                    $now = Get-NowMs
                    for ($k = 0; $k -lt 15; $k++) { Add-Record -AtMs ($now - $script:Random.Next(0, 60000)) }
                }
                $settings = $faults.Clone(); $settings.InsertPerRequest = $(if ($run -lt 6) { 1 } else { 0 })
                Set-ConfluenceAuditEmulatorFault -Emulator $script:Emulator -Settings $settings | Out-Null
                $extra = @{ PageSize = 20 }
                if ($run -eq 1) { $extra.StartDate = $script:LongAgo }
                $records = Invoke-Incremental $path $extra
                $runs++
                $records | Get-RecordKey | ForEach-Object { $delivered.Add($_) }
            }
            $stats = Get-ConfluenceAuditEmulatorStat -Emulator $script:Emulator
        }
        finally { Clear-ConfluenceAuditEmulatorFault -Emulator $script:Emulator }

        $expected = Get-ServerKey -UpToMs ([long](Read-Checkpoint $path).positionEpochMs)
        $diff = Compare-KeyMultiset -Delivered $delivered.ToArray() -Expected $expected
        $kinds = ($stats.FaultsByKind.GetEnumerator() | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join ', '
        Write-Host "Throttled runs: runs $runs, API requests $($stats.ApiRequests), faults $($stats.FaultsInjected) ($kinds), inserted meanwhile $($stats.RecordsInserted); delivered $($diff.Delivered), server $($diff.Expected): lost $($diff.Lost), duplicated $($diff.Duplicated), unexpected $($diff.Unexpected)"

        $stats.FaultsInjected | Should -BeGreaterOrEqual 5
        $diff.Lost | Should -Be 0
        $diff.Duplicated | Should -Be 0
        $diff.Unexpected | Should -Be 0
    }
}

Describe 'Follow mode' {
    It '-Follow -CheckpointPath | Select-Object -First 6 ends once 6 records arrived, oldest first, and the checkpoint moves past exactly those 6' {
        $path = New-CheckpointFile 'follow'
        Invoke-Incremental $path @{ StartDate = $script:LongAgo } | Out-Null
        $startMs = Get-NowMs
        $inserter = Start-Background -ArgumentList $script:Emulator.Url -Script {
            param($Url)
            for ($i = 0; $i -lt 6; $i++) { Start-Sleep -Milliseconds 350; Invoke-RestMethod -Method Post -Uri "$Url/__emulator/records?count=1" -NoProxy | Out-Null }
        }
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $job = Start-Background -Module -ArgumentList $script:Conn, $path -Script {
            param($Connection, $Path)
            Get-ConfluenceAuditRecord -Connection $Connection -CheckpointPath $Path -Follow -PollIntervalSec 1 | Select-Object -First 6
        }
        $ended = Wait-Background $job 20
        $seconds = $sw.Elapsed.TotalSeconds
        $got = @($job.Output)
        $errors = @($job.PowerShell.Streams.Error | ForEach-Object { "$_" })
        $job.PowerShell.Dispose()
        Wait-Background $inserter 10 | Out-Null
        $inserter.PowerShell.Dispose()
        $arrived = Get-ServerKey -FromMs $startMs -UpToMs (Get-NowMs)
        # Three more after the follow ended: the next run must deliver exactly these.
        $afterMs = Get-NowMs
        Add-Record -Count 3
        $next = Invoke-Incremental $path
        $nextExpected = Get-ServerKey -FromMs $afterMs -UpToMs ([long](Read-Checkpoint $path).positionEpochMs)
        $gotKeys = @($got | Get-RecordKey)
        $diff = Compare-KeyMultiset -Delivered @($next | Get-RecordKey) -Expected $nextExpected
        Write-Host ("Follow | Select-Object -First 6: ended by itself {0} after {1:0.0} s with {2} records (out of order {3}); the next run delivered {4} of the 3 created after (repeated from the follow {5}) {6}" -f
            $ended, $seconds, $got.Count, (Get-OrderViolation $got), $next.Count, @($next | Get-RecordKey | Where-Object { $_ -in $gotKeys }).Count, ($errors -join '; '))

        $ended | Should -BeTrue -Because 'Select-Object -First 6 ends the follow'
        $errors | Should -BeNullOrEmpty
        $got.Count | Should -Be 6
        Compare-Sequence -Actual $gotKeys -Expected $arrived | Should -BeNullOrEmpty -Because 'the 6 new records, oldest first'
        $diff.Duplicated + $diff.Unexpected | Should -Be 0 -Because 'the checkpoint moved past the 6 records the follow wrote'
        $diff.Lost | Should -Be 0
    }

    It 'Ctrl+C (Stop()) ends a follow within a second, even in the middle of its wait' {
        $path = New-CheckpointFile 'follow-stop'
        Invoke-Incremental $path @{ StartDate = $script:LongAgo } | Out-Null
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        $job = Start-Background -Module -ArgumentList $script:Conn, $path -Script {
            param($Connection, $Path)
            Get-ConfluenceAuditRecord -Connection $Connection -CheckpointPath $Path -Follow -PollIntervalSec 30
        }
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ((Get-ListingRequest).Count -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        Start-Sleep -Milliseconds 500
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $job.PowerShell.Stop()
        $stopSeconds = $sw.Elapsed.TotalSeconds
        $state = $job.PowerShell.InvocationStateInfo.State
        $job.PowerShell.Dispose()
        $valid = try { $null -ne (Read-Checkpoint $path).positionEpochMs } catch { $false }
        Write-Host ("Follow stopped with Stop() after its first poll: took {0:0.000} s, state {1}, checkpoint valid {2}" -f $stopSeconds, $state, $valid)

        (Get-ListingRequest).Count | Should -BeGreaterOrEqual 1
        $stopSeconds | Should -BeLessThan 1
        "$state" | Should -Be 'Stopped'
        $valid | Should -BeTrue
        @(Get-Litter $path).Count | Should -Be 0
    }

    It 'without -CheckpointPath starts from now: older records are not written' {
        $now = Get-NowMs
        Add-Record -Count 2 -AtMs ($now - 30000)
        Add-Record -Count 1 -AtMs ($now - 2000)
        $startMs = Get-NowMs
        $inserter = Start-Background -ArgumentList $script:Emulator.Url -Script {
            param($Url)
            Start-Sleep -Milliseconds 1500
            for ($i = 0; $i -lt 3; $i++) { Invoke-RestMethod -Method Post -Uri "$Url/__emulator/records?count=1" -NoProxy | Out-Null; Start-Sleep -Milliseconds 300 }
        }
        $job = Start-Background -Module -ArgumentList $script:Conn -Script {
            param($Connection)
            Get-ConfluenceAuditRecord -Connection $Connection -Follow -PollIntervalSec 1 | Select-Object -First 3
        }
        $ended = Wait-Background $job 20
        $got = @($job.Output)
        $job.PowerShell.Dispose()
        Wait-Background $inserter 10 | Out-Null
        $inserter.PowerShell.Dispose()
        $older = @($got | Where-Object { $_.CreationDate.ToUnixTimeMilliseconds() -lt $startMs })
        $arrived = Get-ServerKey -FromMs $startMs -UpToMs (Get-NowMs)
        Write-Host "Follow without a checkpoint: ended $ended with $($got.Count) records, $($older.Count) of them dated before the follow started (the 3 new ones: $(@(@($got | Get-RecordKey) | Where-Object { $_ -in $arrived }).Count))"

        $ended | Should -BeTrue
        $older.Count | Should -Be 0 -Because 'a follow without a checkpoint starts from now'
        Compare-Sequence -Actual @($got | Get-RecordKey) -Expected $arrived | Should -BeNullOrEmpty
    }
}

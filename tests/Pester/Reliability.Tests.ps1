#Requires -Version 7.0
# Reliability: the BUILT module against the emulator's fault injection (429 in three forms, 503, connections
# dropped mid-body or reset, short pages, records arriving, a server that ignores 'start'). Every test prints its
# figures (Write-Host) and asserts them; a summary of all figures is printed at the end.
#   0. the emulator's fault injection itself (control endpoints untouched, seeded, queued, from the command line)
#   a. 100,000 records listed while 20% of requests fail in mixed ways and records arrive: lost 0, duplicated 0
#   b. retry behaviour: Retry-After (seconds, HTTP-date, huge), exhausted retries, -MaximumRetryCount 0,
#      verbose retry lines, a POST whose answer is lost is sent once
#   c. Ctrl+C during a 30-second back-off, measured
#   d. consistent paging: capped limit, size as a total, short pages, arrivals; stall detection
#   e. a catalogue of bad inputs: each refused with an error id and no request sent
#   f. a secret scan of every stream of a verbose, debug, failing run
# Waits are kept short (-RetryIntervalSec 0, Retry-After 0-2 s) except in c; the file runs in about 30-45 seconds.

BeforeAll {
    $script:Emulator = $null
    $script:BigEmulator = $null
    $script:SavedEnvironment = $null
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    $script:SavedEnvironment = Save-ConfluenceEnvironment
    Reset-ConfluenceSession
    $script:FileTimer = [System.Diagnostics.Stopwatch]::StartNew()
    $script:Figures = [System.Collections.Generic.List[object]]::new()
    $script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '1500', '--span-days', '20'

    # The mix of part a: every kind of failure a listing must survive (429-huge is clamped to 1 s, the rest wait 0-1 s).
    $script:MixedKinds = '429', '429-date', '429-huge', '503', '503-plain', 'drop', 'reset'
    # Most faults are set for the listing's page requests only (Set-EmulatorFault -Path $script:AuditPath -Method GET).
    $script:AuditPath = '/wiki/rest/api/audit'

    function Add-Figure {
        # Prints one figure now and keeps it for the summary at the end.
        param([string] $Section, [string] $Name, $Value)
        $script:Figures.Add([pscustomobject]@{ Section = $Section; Figure = $Name; Value = "$Value" })
        Write-Host ("    [{0}] {1}: {2}" -f $Section, $Name, $Value) -ForegroundColor Cyan
    }

    function Connect-Emulator {
        # The default connection to an emulator, with the retry settings under test. Connect sends one request.
        param($Target = $script:Emulator, [int] $MaximumRetryCount = 3, [int] $RetryIntervalSec = 0, [int] $MaximumRetryWaitSec = 1)
        Connect-ConfluenceAudit -BaseUri $Target.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) `
            -MaximumRetryCount $MaximumRetryCount -RetryIntervalSec $RetryIntervalSec -MaximumRetryWaitSec $MaximumRetryWaitSec
    }

    function Invoke-Observed {
        # Runs a command (that passes -Verbose itself) and sorts what it emits into records, verbose lines, warnings and
        # errors, terminating or not. Streams are merged into the output, so nothing is lost when an error stops it.
        param([Parameter(Mandatory)] [scriptblock] $Command)
        # What a user's session does by default (the test runner itself may run with Stop).
        $ErrorActionPreference = 'Continue'
        $items = [System.Collections.Generic.List[object]]::new()
        $result = [pscustomobject]@{
            Records   = [System.Collections.Generic.List[object]]::new()
            Verbose   = [System.Collections.Generic.List[string]]::new()
            Warnings  = [System.Collections.Generic.List[string]]::new()
            Errors    = [System.Collections.Generic.List[object]]::new()
            ElapsedMs = 0L
        }
        $timer = [System.Diagnostics.Stopwatch]::StartNew()
        try { & $Command 4>&1 3>&1 2>&1 | & { process { $items.Add($_) } } }
        catch { $result.Errors.Add($_) }
        $timer.Stop()
        $result.ElapsedMs = $timer.ElapsedMilliseconds
        foreach ($item in $items) {
            if ($item -is [System.Management.Automation.VerboseRecord]) { $result.Verbose.Add($item.Message) }
            elseif ($item -is [System.Management.Automation.WarningRecord]) { $result.Warnings.Add($item.Message) }
            elseif ($item -is [System.Management.Automation.ErrorRecord]) { $result.Errors.Add($item) }
            else { $result.Records.Add($item) }
        }
        $result
    }

    function Get-RetryLine {
        param([string[]] $Verbose)
        @($Verbose | Where-Object { $_ -match 'Retry \d+ of \d+ in [\d.,]+ s' })
    }

    function Get-KeyCount {
        # Records have no id: a multiset of content keys (creation time, category, summary, author, address,
        # description, affected object). The emulator seeds a few records identical in every field, hence counts.
        param([AllowEmptyCollection()] [System.Collections.IEnumerable] $Records, [switch] $Wire)
        $counts = [System.Collections.Generic.Dictionary[string, int]]::new([StringComparer]::Ordinal)
        foreach ($r in $Records) {
            if ($Wire) {
                $author = if ($null -ne $r.author) { $r.author.displayName } else { '' }
                $affected = if ($null -ne $r.affectedObject) { "$($r.affectedObject.name)/$($r.affectedObject.objectType)" } else { '' }
                $key = "$($r.creationDate)|$($r.category)|$($r.summary)|$author|$($r.remoteAddress)|$($r.description)|$affected"
            }
            else {
                $date = if ($null -ne $r.CreationDate) { $r.CreationDate.ToUnixTimeMilliseconds() } else { '' }
                $author = if ($null -ne $r.Author) { $r.Author.DisplayName } else { '' }
                $affected = if ($null -ne $r.AffectedObject) { "$($r.AffectedObject.Name)/$($r.AffectedObject.ObjectType)" } else { '' }
                $key = "$date|$($r.Category)|$($r.Summary)|$author|$($r.RemoteAddress)|$($r.Description)|$affected"
            }
            $n = 0
            $null = $counts.TryGetValue($key, [ref] $n)
            $counts[$key] = $n + 1
        }
        , $counts
    }

    function Compare-KeyCount {
        # Lost: expected occurrences missing. Duplicated: occurrences beyond what exists, where records that arrived
        # during the listing ($Arrived) may each appear as often as they exist (they are New, not duplicates).
        param($Expected, $Actual, $Arrived)
        $lost = 0; $duplicated = 0; $new = 0
        foreach ($pair in $Expected.GetEnumerator()) {
            $got = 0
            $null = $Actual.TryGetValue($pair.Key, [ref] $got)
            if ($got -lt $pair.Value) { $lost += $pair.Value - $got }
        }
        foreach ($pair in $Actual.GetEnumerator()) {
            $want = 0; $arrivedCount = 0
            $null = $Expected.TryGetValue($pair.Key, [ref] $want)
            if ($Arrived) { $null = $Arrived.TryGetValue($pair.Key, [ref] $arrivedCount) }
            $extra = $pair.Value - $want
            if ($extra -gt 0) {
                $ok = [Math]::Min($extra, $arrivedCount)
                $new += $ok
                $duplicated += $extra - $ok
            }
        }
        [pscustomobject]@{ Lost = $lost; Duplicated = $duplicated; New = $new }
    }

    function Get-WireRecordFrom {
        # Records created at or after $StartMs, read straight from the emulator (no module), as JSON objects.
        param([Parameter(Mandatory)] $Target, [Parameter(Mandatory)] [long] $StartMs)
        $headers = Get-AdminAuthorizationHeader
        $all = [System.Collections.Generic.List[object]]::new()
        while ($true) {
            $page = Invoke-RestMethod -NoProxy -Headers $headers -Uri "$($Target.BaseUri)/rest/api/audit?startDate=$StartMs&start=$($all.Count)&limit=1000"
            $results = @($page.results)
            if ($results.Count -eq 0) { break }
            $all.AddRange([object[]]$results)
        }
        , $all
    }

    function Get-Attempt {
        # The attempts at the request that drew the first fault: every logged request with its method, path and query,
        # in arrival order. Other requests (a module reading pages ahead) are left out.
        param([object[]] $Requests)
        $first = @($Requests | Where-Object { $_.fault })[0]
        if (-not $first) { return @() }
        @($Requests | Where-Object { $_.method -eq $first.method -and $_.path -eq $first.path -and $_.query -eq $first.query })
    }

    function Get-RetryGapMs {
        # Milliseconds between the first faulted request and its retry, as the server saw them arrive.
        param([object[]] $Requests)
        $attempts = @(Get-Attempt $Requests)
        if ($attempts.Count -lt 2) { return -1 }
        [long]$attempts[1].receivedMs - [long]$attempts[0].receivedMs
    }

    function New-ModuleShell {
        # A PowerShell instance in its own runspace with the built module imported and connected: what a user's console
        # is when they press Ctrl+C (PowerShell.Stop() is what the host calls), and a way to bound a command in time.
        param([Parameter(Mandatory)] $Target, [int] $MaximumRetryWaitSec = 60)
        $runspace = [runspacefactory]::CreateRunspace([initialsessionstate]::CreateDefault2())
        $runspace.Open()
        $shell = [powershell]::Create()
        $shell.Runspace = $runspace
        $null = $shell.AddScript({
                param($Manifest, $BaseUri, $Credential, $WaitSec)
                Import-Module $Manifest -ErrorAction Stop
                Connect-ConfluenceAudit -BaseUri $BaseUri -Credential $Credential -MaximumRetryCount 3 -RetryIntervalSec 0 -MaximumRetryWaitSec $WaitSec -ErrorAction Stop
            }).AddArgument((Join-Path (Get-TestModulePath) 'ConfluenceAudit.psd1')).AddArgument($Target.BaseUri).AddArgument((Get-ConfluenceAuditEmulatorCredential)).AddArgument($MaximumRetryWaitSec)
        $null = $shell.Invoke()
        if ($shell.HadErrors) { throw "The module shell could not connect: $($shell.Streams.Error | Out-String)" }
        $shell.Commands.Clear()
        $shell.Streams.ClearStreams()
        $shell
    }

    function Remove-ModuleShell {
        param($Shell)
        if (-not $Shell) { return }
        if ($Shell.InvocationStateInfo.State -eq 'Running') { $Shell.Stop() }
        $Shell.Runspace.Dispose()
        $Shell.Dispose()
    }

    function Measure-SecretHit {
        # Occurrences of any of $Secrets in $Text (ordinal, case-sensitive: tokens and base64 are case-sensitive).
        param([string] $Text, [string[]] $Secrets)
        $hits = 0
        foreach ($secret in $Secrets) {
            $at = $Text.IndexOf($secret, [StringComparison]::Ordinal)
            while ($at -ge 0) { $hits++; $at = $Text.IndexOf($secret, $at + 1, [StringComparison]::Ordinal) }
        }
        $hits
    }
}

AfterAll {
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    if ($script:BigEmulator) { $script:BigEmulator | Stop-ConfluenceAuditEmulator }
    if ($script:Emulator) { $script:Emulator | Stop-ConfluenceAuditEmulator }
    if ($script:Figures -and $script:Figures.Count -gt 0) {
        Write-Host ''
        Write-Host "Reliability figures (Reliability.Tests.ps1 ran $([Math]::Round($script:FileTimer.Elapsed.TotalSeconds, 1)) s):" -ForegroundColor Green
        Write-Host ($script:Figures | Format-Table -AutoSize -Wrap | Out-String -Width 200)
    }
}

Describe '0. The emulator''s fault injection (what the rest of this file relies on)' {
    BeforeAll {
        Reset-ConfluenceAuditEmulator $script:Emulator
        function Invoke-Api {
            # One direct GET of the audit API (no module): its status, or 'aborted' when the connection was cut.
            param($Target = $script:Emulator, [string] $Path = '/rest/api/audit?limit=1')
            try { [string](Invoke-WebRequest -NoProxy -SkipHttpErrorCheck -Headers (Get-AdminAuthorizationHeader) -Uri "$($Target.BaseUri)$Path").StatusCode }
            catch { 'aborted' }
        }
    }

    AfterAll { Reset-ConfluenceAuditEmulator $script:Emulator }

    It 'faults hit API requests only, never the control endpoints, and are logged (status 0 when aborted)' {
        Set-EmulatorFault $script:Emulator @{ FailureRate = 1; Kinds = 'reset' }

        $api = Invoke-Api
        $count = Get-ConfluenceAuditEmulatorRecordCount $script:Emulator
        $log = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator)
        $stats = Get-ConfluenceAuditEmulatorStat $script:Emulator
        Clear-ConfluenceAuditEmulatorFault $script:Emulator

        $api | Should -Be 'aborted'
        $count | Should -Be 1500
        $log.Count | Should -Be 1
        $log[0].status | Should -Be 0
        $log[0].aborted | Should -BeTrue
        $log[0].fault | Should -Be 'reset'
        $stats.ApiRequests | Should -Be 1
        $stats.FaultsByKind['reset'] | Should -Be 1
    }

    It 'the same seed gives the same faults; another seed others' {
        $settings = @{ FailureRate = 0.5; Kinds = '429', '503'; RetryAfterSec = 0; Seed = 7 }
        $runs = foreach ($seed in 7, 7, 8) {
            $settings.Seed = $seed
            Set-EmulatorFault $script:Emulator $settings
            (1..24 | ForEach-Object { Invoke-Api }) -join ' '
        }
        Clear-ConfluenceAuditEmulatorFault $script:Emulator
        Add-Figure '0' 'seed 7, 7, 8: first 8 of 24 answers at rate 0.5' (($runs | ForEach-Object { (($_ -split ' ') | Select-Object -First 8) -join ' ' }) -join ' | ')

        $runs[0] | Should -Be $runs[1]
        $runs[0] | Should -Not -Be $runs[2]
        $runs[0] | Should -Match '429'
        $runs[0] | Should -Match '503'
        $runs[0] | Should -Match '200'
    }

    It 'a queue is served exactly and in order, then the answers are normal; a path restriction is honoured' {
        Set-EmulatorFault $script:Emulator @{ Queue = '429', 'none', '503-plain', 'drop' } -Path $script:AuditPath -Method GET
        $retention = Invoke-Api -Path '/rest/api/audit/retention'
        $statuses = (1..6 | ForEach-Object { Invoke-Api }) -join ' '
        $stats = Get-ConfluenceAuditEmulatorStat $script:Emulator

        $retention | Should -Be '200' -Because 'the faults were set for GET /wiki/rest/api/audit only'
        $statuses | Should -Be '429 200 503 aborted 200 200'
        $stats.QueueRemaining | Should -Be 0
        $stats.FaultsInjected | Should -Be 3
    }

    It 'the command line sets faults too' {
        $cli = Start-ConfluenceAuditEmulator -ArgumentList '--records', '10', '--fault-queue', '503-plain,429-huge', '--fault-method', 'GET', '--insert-per-request', '2'
        try {
            $statuses = (1..3 | ForEach-Object { Invoke-Api -Target $cli }) -join ' '
            $faults = Get-ConfluenceAuditEmulatorFault $cli
            $count = Get-ConfluenceAuditEmulatorRecordCount $cli
        }
        finally { $cli | Stop-ConfluenceAuditEmulator }

        $statuses | Should -Be '503 429 200'
        $faults.method | Should -Be 'GET'
        $faults.insertPerRequest | Should -Be 2
        $count | Should -Be 16 -Because '2 records arrive before each of the 3 page requests'
    }
}

Describe 'a. 100,000 records listed while 20% of requests fail and records arrive' {
    BeforeAll {
        # 20 days of records, so that -Last 30 -Unit Days covers every one of them.
        $script:BigEmulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '100000', '--span-days', '20'
        Reset-ConfluenceSession
        Connect-Emulator -Target $script:BigEmulator -MaximumRetryCount 10 -RetryIntervalSec 0 -MaximumRetryWaitSec 1

        # What existed when the listings start: a listing with no faults and nothing arriving (checked against the
        # emulator's own count below). Each faulty listing starts from this same state (the emulator is reset).
        $baseline = Invoke-Observed { Get-ConfluenceAuditRecord -Verbose }
        $script:BaselineCount = $baseline.Records.Count
        $script:BaselineErrors = $baseline.Errors.Count
        $script:StoreCount = Get-ConfluenceAuditEmulatorRecordCount $script:BigEmulator
        $script:Reference = Get-KeyCount $baseline.Records
        $baseline = $null
        Add-Figure 'a' 'reference listing (no faults)' "$script:BaselineCount records, emulator holds $script:StoreCount"

        $script:Runs = [ordered]@{}
        foreach ($case in @(
                @{ Name = 'range (pinned end)'; Command = { Get-ConfluenceAuditRecord -Verbose } }
                @{ Name = '-Last 30 -Unit Days'; Command = { Get-ConfluenceAuditRecord -Last 30 -Unit Days -Verbose } }
            )) {
            Reset-ConfluenceAuditEmulator $script:BigEmulator
            $startMs = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
            Set-EmulatorFault $script:BigEmulator -Settings @{
                FailureRate = 0.2; Kinds = $script:MixedKinds; RetryAfterSec = 0; Seed = 20260301; InsertPerRequest = 3
            }
            $run = Invoke-Observed $case.Command
            if (@($run).Count -ne 1 -or $null -eq $run.Records) {
                throw "Observing '$($case.Name)' gave $(@($run).Count) object(s) of type(s) $(@($run | ForEach-Object { if ($null -eq $_) { 'null' } else { $_.GetType().FullName } }) -join ', ')."
            }
            Clear-ConfluenceAuditEmulatorFault $script:BigEmulator
            $stats = Get-ConfluenceAuditEmulatorStat $script:BigEmulator
            $arrived = Get-KeyCount (Get-WireRecordFrom -Target $script:BigEmulator -StartMs $startMs) -Wire
            $comparison = Compare-KeyCount -Expected $script:Reference -Actual (Get-KeyCount $run.Records) -Arrived $arrived
            $script:Runs[$case.Name] = [pscustomobject]@{
                Records    = $run.Records.Count
                Lost       = $comparison.Lost
                Duplicated = $comparison.Duplicated
                New        = $comparison.New
                Requests   = $stats.ApiRequests
                Faults     = $stats.FaultsInjected
                ByKind     = $stats.FaultsByKind
                Inserted   = $stats.RecordsInserted
                Retries    = @(Get-RetryLine $run.Verbose).Count
                ElapsedMs  = $run.ElapsedMs
                ErrorIds   = @($run.Errors | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*$' })
                ErrorText  = @($run.Errors | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }) -join ' | '
            }
            $run = $null
            $r = $script:Runs[$case.Name]
            $kinds = ($r.ByKind.GetEnumerator() | Sort-Object Name | ForEach-Object { "$($_.Name) x$($_.Value)" }) -join ', '
            Add-Figure 'a' "$($case.Name): records lost / duplicated" "$($r.Lost) / $($r.Duplicated) ($($r.Records) listed, $($r.New) of them created during the listing)"
            Add-Figure 'a' "$($case.Name): requests / retries / faults injected" "$($r.Requests) / $($r.Retries) / $($r.Faults) ($kinds)"
            Add-Figure 'a' "$($case.Name): records inserted meanwhile / elapsed" "$($r.Inserted) / $([Math]::Round($r.ElapsedMs / 1000, 1)) s"
            if ($r.ErrorIds.Count) { Add-Figure 'a' "$($case.Name): errors" $r.ErrorText }
        }
    }

    AfterAll {
        Reset-ConfluenceSession
        if ($script:BigEmulator) { $script:BigEmulator | Stop-ConfluenceAuditEmulator; $script:BigEmulator = $null }
    }

    It 'the reference listing returns the 100,000 records the emulator holds' {
        $script:StoreCount | Should -Be 100000
        $script:BaselineCount | Should -Be $script:StoreCount
        $script:BaselineErrors | Should -Be 0
    }

    It '<Name>: no record lost' -ForEach @(@{ Name = 'range (pinned end)' }, @{ Name = '-Last 30 -Unit Days' }) {
        $script:Runs[$Name].Lost | Should -Be 0
    }

    It '<Name>: no record duplicated' -ForEach @(@{ Name = 'range (pinned end)' }, @{ Name = '-Last 30 -Unit Days' }) {
        $script:Runs[$Name].Duplicated | Should -Be 0
    }

    It '<Name>: the faults really happened (about 20% of requests, most kinds) and were retried' -ForEach @(@{ Name = 'range (pinned end)' }, @{ Name = '-Last 30 -Unit Days' }) {
        $r = $script:Runs[$Name]
        $r.Requests | Should -BeGreaterThan 100 -Because '100,000 records need at least 100 pages of 1000'
        ($r.Faults / $r.Requests) | Should -BeGreaterThan 0.1
        ($r.Faults / $r.Requests) | Should -BeLessThan 0.3
        $r.ByKind.Keys.Count | Should -BeGreaterOrEqual 5 -Because "the mix has $($script:MixedKinds.Count) kinds"
        # A retry needs a fault; each fault on a page the listing needed costs one retry (a page read ahead past the
        # end may fail and be dropped rather than retried).
        $r.Retries | Should -BeLessOrEqual $r.Faults
        $r.Retries | Should -BeGreaterOrEqual ($r.Faults - 2)
    }

    It '<Name>: records arrived while it ran' -ForEach @(@{ Name = 'range (pinned end)' }, @{ Name = '-Last 30 -Unit Days' }) {
        $script:Runs[$Name].Inserted | Should -BeGreaterThan 300
    }

    It '<Name>: the listing ends without an error' -ForEach @(@{ Name = 'range (pinned end)' }, @{ Name = '-Last 30 -Unit Days' }) {
        $script:Runs[$Name].ErrorText | Should -BeNullOrEmpty -Because 'every record was delivered; records still arriving at the head are no reason to fail'
    }
}

Describe 'b. Retry behaviour' {
    BeforeEach {
        Reset-ConfluenceSession
        Reset-ConfluenceAuditEmulator $script:Emulator
    }

    AfterEach { Reset-ConfluenceSession; Clear-ConfluenceAuditEmulatorFault $script:Emulator }

    It 'a 429 with Retry-After: 2 (seconds) is waited out, then retried' {
        Connect-Emulator -MaximumRetryCount 3 -MaximumRetryWaitSec 10
        Set-EmulatorFault $script:Emulator @{ Queue = '429'; RetryAfterSec = 2 } -Path $script:AuditPath -Method GET

        $run = Invoke-Observed { Get-ConfluenceAuditRecord -First 5 -Verbose }

        $attempts = @(Get-Attempt @(Get-ConfluenceAuditEmulatorRequest $script:Emulator))
        $gap = Get-RetryGapMs $attempts
        Add-Figure 'b' 'Retry-After: 2 (seconds) -> waited' "$gap ms"
        $run.Errors | Should -BeNullOrEmpty
        $run.Records.Count | Should -Be 5
        $attempts.Count | Should -Be 2
        $attempts[0].status | Should -Be 429
        $gap | Should -BeGreaterOrEqual 1950
        $gap | Should -BeLessThan 2700
    }

    It 'a 429 with Retry-After as an HTTP-date is waited out until that date' {
        Connect-Emulator -MaximumRetryCount 3 -MaximumRetryWaitSec 10
        Set-EmulatorFault $script:Emulator @{ Queue = '429-date'; RetryAfterSec = 2 } -Path $script:AuditPath -Method GET

        $run = Invoke-Observed { Get-ConfluenceAuditRecord -First 5 -Verbose }

        $attempts = @(Get-Attempt @(Get-ConfluenceAuditEmulatorRequest $script:Emulator))
        $gap = Get-RetryGapMs $attempts
        # The emulator sends now + 2 s rounded up to the whole second: the date is 2 to 3 s after the 429.
        $sent = [long]$attempts[0].receivedMs
        $expected = [long]([Math]::Ceiling(($sent + 2000) / 1000.0) * 1000) - $sent
        Add-Figure 'b' 'Retry-After: <HTTP-date 2-3 s ahead> -> waited' "$gap ms (the date was $expected ms after the 429)"
        $run.Errors | Should -BeNullOrEmpty
        $attempts.Count | Should -Be 2
        $gap | Should -BeGreaterOrEqual ($expected - 150)
        $gap | Should -BeLessThan ($expected + 700)
    }

    It 'Retry-After: 9223372036854775807 is clamped to -MaximumRetryWaitSec' {
        Connect-Emulator -MaximumRetryCount 3 -MaximumRetryWaitSec 1
        Set-EmulatorFault $script:Emulator @{ Queue = '429-huge' } -Path $script:AuditPath -Method GET

        $run = Invoke-Observed { Get-ConfluenceAuditRecord -First 5 -Verbose }

        $attempts = @(Get-Attempt @(Get-ConfluenceAuditEmulatorRequest $script:Emulator))
        $gap = Get-RetryGapMs $attempts
        Add-Figure 'b' 'Retry-After: 9223372036854775807 with -MaximumRetryWaitSec 1 -> waited' "$gap ms"
        $run.Errors | Should -BeNullOrEmpty
        $attempts.Count | Should -Be 2
        $gap | Should -BeGreaterOrEqual 950
        $gap | Should -BeLessThan 1800
        (Get-RetryLine $run.Verbose) | Should -Match 'in 1[.,]0 s'
    }

    It 'exhausted retries on <Kind> end with <Id>, the number of attempts and the rate-limit headers' -ForEach @(
        @{ Kind = '429'; Id = 'ConfluenceRateLimited'; Headers = 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'RateLimit-Reason' }
        @{ Kind = '503'; Id = 'ConfluenceUnavailable'; Headers = @('Retry-After') }
        @{ Kind = '503-plain'; Id = 'ConfluenceUnavailable'; Headers = @() }
        @{ Kind = 'drop'; Id = 'ConfluenceConnectionFailed'; Headers = @() }
        @{ Kind = 'reset'; Id = 'ConfluenceConnectionFailed'; Headers = @() }
    ) {
        Connect-Emulator -MaximumRetryCount 2
        Set-EmulatorFault $script:Emulator @{ Queue = $Kind, $Kind, $Kind, $Kind; RetryAfterSec = 0 } -Path $script:AuditPath -Method GET

        $err = Invoke-Captured { Get-ConfluenceAuditRecord -First 5 -ErrorAction Stop }

        $attempts = @(Get-Attempt @(Get-ConfluenceAuditEmulatorRequest $script:Emulator))
        Add-Figure 'b' "$Kind x3 with -MaximumRetryCount 2" "$($err.FullyQualifiedErrorId -replace ',.*$'), $($attempts.Count) attempts, headers: $(@($err.Exception.RateLimitHeaders.Keys) -join ', ')"
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $attempts.Count | Should -Be 3 -Because '1 attempt + 2 retries'
        $err.Exception.Message | Should -Match '\b3 attempts\b'
        $err.Exception.Attempts | Should -Be 3
        foreach ($header in $Headers) {
            $err.Exception.RateLimitHeaders.Keys | Should -Contain $header
        }
        if ($Kind -eq '429') {
            $err.Exception.RateLimitHeaders['X-RateLimit-Remaining'] | Should -Be '0'
            $err.Exception.RateLimitHeaders['RateLimit-Reason'] | Should -Be 'confluence-burst-based'
        }
    }

    It '-MaximumRetryCount 0 sends exactly one request' {
        Connect-Emulator -MaximumRetryCount 0
        Set-EmulatorFault $script:Emulator @{ Queue = '429', '429'; RetryAfterSec = 0 } -Path $script:AuditPath -Method GET

        $err = Invoke-Captured { Get-ConfluenceAuditRecord -First 5 -ErrorAction Stop }

        $requests = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator)
        Add-Figure 'b' '429 with -MaximumRetryCount 0' "$($err.FullyQualifiedErrorId -replace ',.*$'), $($requests.Count) request(s)"
        $err.FullyQualifiedErrorId | Should -BeLike 'ConfluenceRateLimited,*'
        $requests.Count | Should -Be 1
        @(Get-Attempt $requests).Count | Should -Be 1
    }

    It 'each retry appears on the verbose stream with its reason and its wait' {
        Connect-Emulator -MaximumRetryCount 5
        Set-EmulatorFault $script:Emulator @{ Queue = '429', '503-plain', 'drop', 'reset', '429-huge'; RetryAfterSec = 0 } -Path $script:AuditPath -Method GET

        $run = Invoke-Observed { Get-ConfluenceAuditRecord -First 5 -Verbose }

        $lines = Get-RetryLine $run.Verbose
        $lines | ForEach-Object { Add-Figure 'b' 'verbose' $_ }
        $run.Errors | Should -BeNullOrEmpty
        $run.Records.Count | Should -Be 5
        $lines.Count | Should -Be 5
        $lines[0] | Should -Match '429.*Retry 1 of 5 in 0[.,]0 s'
        $lines[1] | Should -Match '503.*Retry 2 of 5 in [\d.,]+ s'
        $lines[2] | Should -Match 'connection.*Retry 3 of 5 in [\d.,]+ s'
        $lines[3] | Should -Match 'connection.*Retry 4 of 5 in [\d.,]+ s'
        $lines[4] | Should -Match '429.*Retry 5 of 5 in 1[.,]0 s'
    }

    It 'New-ConfluenceAuditRecord whose answer is cut off is sent once and says the record may have been created' {
        Connect-Emulator -MaximumRetryCount 5
        $before = Get-ConfluenceAuditEmulatorRecordCount $script:Emulator
        Set-EmulatorFault $script:Emulator @{ Queue = 'drop', 'drop' } -Path $script:AuditPath -Method POST

        $err = Invoke-Captured { New-ConfluenceAuditRecord -RemoteAddress 10.9.8.7 -Summary 'Reliability: dropped answer' -ErrorAction Stop -WarningAction SilentlyContinue }

        $posts = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator | Where-Object method -EQ 'POST')
        $after = Get-ConfluenceAuditEmulatorRecordCount $script:Emulator
        Add-Figure 'b' 'POST with its answer cut off' "$($posts.Count) POST sent, records $before -> $after, $($err.FullyQualifiedErrorId -replace ',.*$')"
        $posts.Count | Should -Be 1 -Because 'creating a record is not idempotent'
        $posts[0].aborted | Should -BeTrue
        $after | Should -Be ($before + 1) -Because 'the emulator created it before the answer was cut'
        $err | Should -Not -BeNullOrEmpty
        $err.Exception.Message | Should -Match 'may have been created'
    }

    It 'New-ConfluenceAuditRecord refused with 429 is sent once and does not also warn that it may have been created' {
        Connect-Emulator -MaximumRetryCount 5
        Set-EmulatorFault $script:Emulator @{ Queue = '429', '429'; RetryAfterSec = 0 } -Path $script:AuditPath -Method POST

        $run = Invoke-Observed { New-ConfluenceAuditRecord -RemoteAddress 10.9.8.7 -Summary 'Reliability: throttled' -ErrorAction Stop }

        $posts = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator | Where-Object method -EQ 'POST')
        Add-Figure 'b' 'POST throttled (-ErrorAction Stop)' "$($posts.Count) POST sent; warnings: $(if ($run.Warnings.Count) { $run.Warnings -join ' / ' } else { 'none' })"
        $posts.Count | Should -Be 1
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ConfluenceRateLimited,*'
        $run.Errors[0].Exception.Message | Should -Match 'not created'
        # -ErrorAction Stop is not Ctrl+C: the error already says the record was not created.
        $run.Warnings | Should -Not -Match 'may have been created'
    }
}

Describe 'c. Ctrl+C during a 30-second back-off' {
    BeforeAll {
        Reset-ConfluenceAuditEmulator $script:Emulator
        $script:Shell = New-ModuleShell -Target $script:Emulator -MaximumRetryWaitSec 60
    }

    AfterAll {
        Remove-ModuleShell $script:Shell
        Clear-ConfluenceAuditEmulatorFault $script:Emulator
    }

    It 'stops Get-ConfluenceAuditRecord within a second, sending nothing more' {
        Set-EmulatorFault $script:Emulator @{ Queue = '429'; RetryAfterSec = 30 } -Path $script:AuditPath -Method GET
        $null = $script:Shell.AddCommand('Get-ConfluenceAuditRecord').AddParameter('Verbose', $true)
        $async = $script:Shell.BeginInvoke()

        # Wait until the command says it is waiting 30 s before its retry.
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        $waiting = $null
        $verbose = $script:Shell.Streams.Verbose
        while (-not $waiting -and [DateTime]::UtcNow -lt $deadline) {
            # Read by index: the stream grows on another thread.
            for ($i = 0; $i -lt $verbose.Count; $i++) {
                if ($verbose[$i].Message -match 'Retry 1 of \d+ in 30[.,]0 s') { $waiting = $verbose[$i].Message }
            }
            if (-not $waiting) { Start-Sleep -Milliseconds 25 }
        }
        Start-Sleep -Milliseconds 300

        $stoppedAt = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        $timer = [System.Diagnostics.Stopwatch]::StartNew()
        $script:Shell.Stop()
        $timer.Stop()
        Start-Sleep -Milliseconds 300

        $requests = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator)
        $after = @($requests | Where-Object { [long]$_.receivedMs -ge $stoppedAt })
        Add-Figure 'c' 'Ctrl+C (PowerShell.Stop) during a 30 s back-off took' "$($timer.ElapsedMilliseconds) ms"
        $waiting | Should -Not -BeNullOrEmpty -Because 'the retry must be announced on the verbose stream before it waits'
        $script:Shell.InvocationStateInfo.State | Should -Be 'Stopped'
        $async.IsCompleted | Should -BeTrue
        $timer.ElapsedMilliseconds | Should -BeLessThan 1000
        @(Get-Attempt $requests).Count | Should -Be 1 -Because 'the throttled page was never asked for again'
        $after.Count | Should -Be 0 -Because 'nothing is sent once the command is stopped'
    }
}

Describe 'd. Consistent paging' {
    BeforeAll {
        Reset-ConfluenceAuditEmulator $script:Emulator
        # The truth, in one direct request: every record newest first.
        $script:Truth = @(Get-ReferenceRecord $script:Emulator | Get-WireRecordKey)
    }

    BeforeEach {
        Reset-ConfluenceSession
        Reset-ConfluenceAuditEmulator $script:Emulator
        Connect-Emulator -MaximumRetryCount 3
    }

    AfterEach {
        Reset-ConfluenceSession
        Reset-ConfluenceAuditEmulator $script:Emulator
    }

    It 'a server that caps limit at 250, reports size as a total and sends short pages: every record once, in order' {
        Set-ConfluenceAuditEmulatorConfig -Emulator $script:Emulator -Settings @{ maxLimit = 250; sizeIsTotal = $true } | Out-Null
        # 1500 records in pages of at most 250: the 2nd and 4th pages come back half full, in the middle of the list.
        Set-EmulatorFault $script:Emulator @{ Queue = 'none', 'short', 'none', 'short' } -Path $script:AuditPath -Method GET

        $run = Invoke-Observed { Get-ConfluenceAuditRecord -Verbose }

        $stats = Get-ConfluenceAuditEmulatorStat $script:Emulator
        $keys = @($run.Records | Get-RecordKey)
        $difference = Compare-Sequence -Actual $keys -Expected $script:Truth
        Add-Figure 'd' 'cap 250 + size as total + 2 short pages' "$($keys.Count) of $($script:Truth.Count) records in $($stats.ApiRequests) requests, $(if ($difference) { $difference } else { 'same records, same order' })"
        $run.Errors | Should -BeNullOrEmpty
        $stats.FaultsByKind['short'] | Should -Be 2
        $difference | Should -BeNullOrEmpty
    }

    It 'records arriving during a -Last listing (and a capped, short-paged server): every record once' {
        Set-ConfluenceAuditEmulatorConfig -Emulator $script:Emulator -Settings @{ maxLimit = 250 } | Out-Null
        $startMs = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        Set-EmulatorFault $script:Emulator @{ Queue = 'none', 'none', 'short'; InsertPerRequest = 7 }

        $run = Invoke-Observed { Get-ConfluenceAuditRecord -Last 30 -Unit Days -Verbose }

        Clear-ConfluenceAuditEmulatorFault $script:Emulator
        $stats = Get-ConfluenceAuditEmulatorStat $script:Emulator
        $expected = [System.Collections.Generic.Dictionary[string, int]]::new([StringComparer]::Ordinal)
        foreach ($key in $script:Truth) { $n = 0; $null = $expected.TryGetValue($key, [ref] $n); $expected[$key] = $n + 1 }
        $arrived = [System.Collections.Generic.Dictionary[string, int]]::new([StringComparer]::Ordinal)
        $arrivals = Get-WireRecordFrom -Target $script:Emulator -StartMs $startMs
        foreach ($key in @($arrivals | Get-WireRecordKey)) { $n = 0; $null = $arrived.TryGetValue($key, [ref] $n); $arrived[$key] = $n + 1 }
        $actual = [System.Collections.Generic.Dictionary[string, int]]::new([StringComparer]::Ordinal)
        $keys = @($run.Records | Get-RecordKey)
        foreach ($key in $keys) { $n = 0; $null = $actual.TryGetValue($key, [ref] $n); $actual[$key] = $n + 1 }
        $comparison = Compare-KeyCount -Expected $expected -Actual $actual -Arrived $arrived
        # The records that existed keep their order (newest first) among what was listed.
        $known = @($keys | Where-Object { $expected.ContainsKey($_) })
        $order = Compare-Sequence -Actual $known -Expected $script:Truth
        $errors = @($run.Errors | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*$' }) -join ', '
        Add-Figure 'd' 'arrivals (7 per page request) during -Last 30 -Unit Days' "lost $($comparison.Lost), duplicated $($comparison.Duplicated), $($comparison.New) new, $($stats.RecordsInserted) inserted, $($stats.ApiRequests) requests$(if ($errors) { ", error: $errors" })"
        $stats.RecordsInserted | Should -BeGreaterThan 0
        $comparison.Lost | Should -Be 0
        $comparison.Duplicated | Should -Be 0
        $order | Should -BeNullOrEmpty
        $run.Errors | Should -BeNullOrEmpty -Because 'every record was delivered; arrivals at the head must not make the end look like a stall'
    }

    It 'a server that ignores start ends the listing with ConfluencePagingStalled instead of looping' {
        $shell = New-ModuleShell -Target $script:Emulator -MaximumRetryWaitSec 1
        try {
            Set-EmulatorFault $script:Emulator @{ IgnoreStart = $true }
            $null = $shell.AddScript({ Get-ConfluenceAuditRecord -PageSize 100 -ErrorAction Stop | Measure-Object | Select-Object -ExpandProperty Count })
            $timer = [System.Diagnostics.Stopwatch]::StartNew()
            $async = $shell.BeginInvoke()
            $finished = $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(20))
            $timer.Stop()
            if (-not $finished) { $shell.Stop() }
            $errorRecord = $null
            try { $null = $shell.EndInvoke($async) } catch { $errorRecord = $_.Exception.InnerException.ErrorRecord }
            if (-not $errorRecord -and $shell.Streams.Error.Count) { $errorRecord = $shell.Streams.Error[0] }
            $requests = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator)
            Add-Figure 'd' 'server ignoring start' "$(if ($errorRecord) { $errorRecord.FullyQualifiedErrorId -replace ',.*$' } else { 'no error' }) after $($requests.Count) requests, $($timer.ElapsedMilliseconds) ms"
            $finished | Should -BeTrue -Because 'the listing must not loop forever (20 s guard)'
            $errorRecord | Should -Not -BeNullOrEmpty
            $errorRecord.FullyQualifiedErrorId | Should -BeLike 'ConfluencePagingStalled,*'
            $requests.Count | Should -BeLessThan 20
        }
        finally { Remove-ModuleShell $shell }
    }
}

Describe 'e. Bad input is refused before any request' {
    BeforeAll {
        $script:Catalogue = [System.Collections.Generic.List[object]]::new()
        $script:Port = ([Uri]$script:Emulator.Url).Port
        $script:Existing = Join-Path $TestDrive 'existing.csv'
        Set-Content -LiteralPath $script:Existing -Value 'keep me'
    }

    BeforeEach {
        Reset-ConfluenceSession
        Reset-ConfluenceAuditEmulator $script:Emulator
        Connect-Emulator
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
    }

    AfterEach { Reset-ConfluenceSession }

    AfterAll {
        Write-Host ''
        Write-Host 'Bad-input catalogue:' -ForegroundColor Green
        Write-Host ($script:Catalogue | Format-Table -AutoSize -Wrap | Out-String -Width 220)
        Add-Figure 'e' 'bad inputs refused before any request' "$(@($script:Catalogue | Where-Object { $_.'requests sent' -eq 0 -and $_.OK }).Count) of $($script:Catalogue.Count)"
    }

    It '<Case> -> <Expected>' -ForEach @(
        @{ Case = 'Get-ConfluenceAuditRecord -StartDate <tomorrow> -EndDate <yesterday>'; Expected = 'InvalidDateRange'; Run = { Get-ConfluenceAuditRecord -StartDate (Get-Date).AddDays(1) -EndDate (Get-Date).AddDays(-1) -ErrorAction Stop } }
        @{ Case = 'Get-ConfluenceAuditRecord -StartDate 1960-01-01'; Expected = 'DateOutOfRange'; Run = { Get-ConfluenceAuditRecord -StartDate ([datetime]'1960-01-01') -ErrorAction Stop } }
        @{ Case = 'Get-ConfluenceAuditRecord -EndDate 1969-12-31'; Expected = 'DateOutOfRange'; Run = { Get-ConfluenceAuditRecord -EndDate ([datetime]::new(1969, 12, 31, 0, 0, 0, [DateTimeKind]::Utc)) -ErrorAction Stop } }
        @{ Case = 'Get-ConfluenceAuditRecord -PageSize 0'; Expected = 'ParameterArgumentValidationError'; Run = { Get-ConfluenceAuditRecord -PageSize 0 -ErrorAction Stop } }
        @{ Case = 'Get-ConfluenceAuditRecord -PageSize 1001'; Expected = 'ParameterArgumentValidationError'; Run = { Get-ConfluenceAuditRecord -PageSize 1001 -ErrorAction Stop } }
        @{ Case = 'Get-ConfluenceAuditRecord -Last 0 -Unit Days'; Expected = 'ParameterArgumentValidationError'; Run = { Get-ConfluenceAuditRecord -Last 0 -Unit Days -ErrorAction Stop } }
        @{ Case = 'Get-ConfluenceAuditRecord -Last -5 -Unit Days'; Expected = 'ParameterArgumentValidationError'; Run = { Get-ConfluenceAuditRecord -Last -5 -Unit Days -ErrorAction Stop } }
        @{ Case = 'Get-ConfluenceAuditRecord -Last 1 -Unit Bogus'; Expected = 'CannotConvertArgumentNoMessage'; Run = { Get-ConfluenceAuditRecord -Last 1 -Unit Bogus -ErrorAction Stop } }
        @{ Case = "Get-ConfluenceAuditRecord -SearchString ''"; Expected = 'ParameterArgumentValidationError'; Run = { Get-ConfluenceAuditRecord -SearchString '' -ErrorAction Stop } }
        @{ Case = 'Set-ConfluenceAuditRetention 2 Years'; Expected = 'AuditRetentionTooLong'; Run = { Set-ConfluenceAuditRetention 2 Years -Force -ErrorAction Stop } }
        @{ Case = 'Set-ConfluenceAuditRetention 366 Days'; Expected = 'AuditRetentionTooLong'; Run = { Set-ConfluenceAuditRetention 366 Days -Force -ErrorAction Stop } }
        @{ Case = 'Set-ConfluenceAuditRetention -Number 0 -Unit Days'; Expected = 'ParameterArgumentValidationError'; Run = { Set-ConfluenceAuditRetention -Number 0 -Unit Days -Force -ErrorAction Stop } }
        @{ Case = 'Set-ConfluenceAuditRetention 1 Bogus'; Expected = 'CannotConvertArgumentNoMessage'; Run = { Set-ConfluenceAuditRetention 1 Bogus -Force -ErrorAction Stop } }
        @{ Case = "New-ConfluenceAuditRecord -RemoteAddress ''"; Expected = 'AuditRecordRemoteAddressMissing'; Run = { New-ConfluenceAuditRecord -RemoteAddress '' -Summary 'x' -ErrorAction Stop } }
        @{ Case = "New-ConfluenceAuditRecord -RemoteAddress '   '"; Expected = 'AuditRecordRemoteAddressMissing'; Run = { New-ConfluenceAuditRecord -RemoteAddress '   ' -ErrorAction Stop } }
        @{ Case = "New-ConfluenceAuditRecord -AffectedObject @{Nme='x'}"; Expected = 'ParameterArgumentTransformationError'; Run = { New-ConfluenceAuditRecord -RemoteAddress 10.0.0.1 -AffectedObject @{ Nme = 'x' } -ErrorAction Stop } }
        @{ Case = "Connect-ConfluenceAudit -BaseUri 'not a url'"; Expected = 'ConfluenceBaseUriInvalid'; Run = { Connect-ConfluenceAudit -BaseUri 'not a url' -Credential (Get-ConfluenceAuditEmulatorCredential) -ErrorAction Stop } }
        @{ Case = "Connect-ConfluenceAudit -BaseUri '/wiki' (relative)"; Expected = 'ConfluenceBaseUriInvalid'; Run = { Connect-ConfluenceAudit -BaseUri '/wiki' -Credential (Get-ConfluenceAuditEmulatorCredential) -ErrorAction Stop } }
        @{ Case = 'Connect-ConfluenceAudit -BaseUri ftp://127.0.0.1:<port>/wiki'; Expected = 'ConfluenceBaseUriInvalid'; Run = { Connect-ConfluenceAudit -BaseUri "ftp://127.0.0.1:$script:Port/wiki" -Credential (Get-ConfluenceAuditEmulatorCredential) -ErrorAction Stop } }
        @{ Case = 'Connect-ConfluenceAudit -BaseUri http://192.0.2.1/wiki (not loopback, no opt-in)'; Expected = 'ConfluenceUnencryptedAuthentication'; Run = { Connect-ConfluenceAudit -BaseUri 'http://192.0.2.1/wiki' -Credential (Get-ConfluenceAuditEmulatorCredential) -TimeoutSec 2 -ErrorAction Stop } }
        @{ Case = 'Connect-ConfluenceAudit -BaseUri http://alice:pw@127.0.0.1:<port>/wiki'; Expected = 'ConfluenceBaseUriInvalid'; Run = { Connect-ConfluenceAudit -BaseUri "http://alice:pw@127.0.0.1:$script:Port/wiki" -Credential (Get-ConfluenceAuditEmulatorCredential) -ErrorAction Stop } }
        @{ Case = 'Connect-ConfluenceAudit -BaseUri http://127.0.0.1:<port>/wiki?x=1'; Expected = 'ConfluenceBaseUriInvalid'; Run = { Connect-ConfluenceAudit -BaseUri "http://127.0.0.1:$script:Port/wiki?x=1" -Credential (Get-ConfluenceAuditEmulatorCredential) -ErrorAction Stop } }
        @{ Case = 'Connect-ConfluenceAudit -Token <empty>'; Expected = 'ConfluenceCredentialInvalid'; Run = { Connect-ConfluenceAudit -BaseUri "http://127.0.0.1:$script:Port/wiki" -Token ([securestring]::new()) -ErrorAction Stop } }
        @{ Case = 'Connect-ConfluenceAudit -MaximumRetryCount -1'; Expected = 'ParameterArgumentValidationError'; Run = { Connect-ConfluenceAudit -BaseUri "http://127.0.0.1:$script:Port/wiki" -Credential (Get-ConfluenceAuditEmulatorCredential) -MaximumRetryCount -1 -ErrorAction Stop } }
        @{ Case = 'Connect-ConfluenceAudit -MaximumRetryWaitSec 0'; Expected = 'ParameterArgumentValidationError'; Run = { Connect-ConfluenceAudit -BaseUri "http://127.0.0.1:$script:Port/wiki" -Credential (Get-ConfluenceAuditEmulatorCredential) -MaximumRetryWaitSec 0 -ErrorAction Stop } }
        @{ Case = 'Connect-ConfluenceAudit -TimeoutSec -1'; Expected = 'ParameterArgumentValidationError'; Run = { Connect-ConfluenceAudit -BaseUri "http://127.0.0.1:$script:Port/wiki" -Credential (Get-ConfluenceAuditEmulatorCredential) -TimeoutSec -1 -ErrorAction Stop } }
        @{ Case = 'Connect-ConfluenceAudit (no -BaseUri, no CONFLUENCE_* variables)'; Expected = 'ConfluenceBaseUriMissing'; Run = { Reset-ConfluenceSession; Connect-ConfluenceAudit -ErrorAction Stop } }
        @{ Case = 'Export-ConfluenceAudit -Path <missing folder>/audit.csv'; Expected = 'ExportDirectoryNotFound'; Run = { Export-ConfluenceAudit -Path (Join-Path $TestDrive 'no-such-folder/audit.csv') -ErrorAction Stop } }
        @{ Case = 'Export-ConfluenceAudit -Path <existing file> -NoClobber'; Expected = 'ExportFileExists'; Run = { Export-ConfluenceAudit -Path $script:Existing -NoClobber -ErrorAction Stop } }
        @{ Case = 'Export-ConfluenceAudit -Path <a folder>'; Expected = 'ExportPathIsFolder'; Run = { Export-ConfluenceAudit -LiteralPath $TestDrive -ErrorAction Stop } }
        @{ Case = 'Export-ConfluenceAudit -StartDate <tomorrow> -EndDate <yesterday>'; Expected = 'InvalidDateRange'; Run = { Export-ConfluenceAudit -Path (Join-Path $TestDrive 'range.csv') -StartDate (Get-Date).AddDays(1) -EndDate (Get-Date).AddDays(-1) -ErrorAction Stop } }
        @{ Case = 'Get-ConfluenceAuditRecord with no connection and no CONFLUENCE_* variables'; Expected = 'ConfluenceNotConnected'; Run = { Reset-ConfluenceSession; Get-ConfluenceAuditRecord -First 1 -ErrorAction Stop } }
        @{ Case = "Get-ConfluenceAuditRecord with CONFLUENCE_BASE_URL='not a url'"; Expected = 'ConfluenceEnvironmentInvalid'; Run = { Reset-ConfluenceSession; $env:CONFLUENCE_BASE_URL = 'not a url'; $env:CONFLUENCE_TOKEN = 'emulator-admin-pat'; Get-ConfluenceAuditRecord -First 1 -ErrorAction Stop } }
    ) {
        $err = Invoke-Captured $Run
        $sent = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count
        $id = if ($err) { $err.FullyQualifiedErrorId -replace ',.*$' } else { '(no error)' }
        $script:Catalogue.Add([pscustomobject]@{ input = $Case; 'error id' = $id; 'requests sent' = $sent; OK = ($id -eq $Expected) })

        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike "$Expected,*"
        $sent | Should -Be 0 -Because 'the module can tell this is wrong without asking the server'
        (Get-Item -LiteralPath $script:Existing | Get-Content -Raw).Trim() | Should -Be 'keep me'
    }
}

Describe 'f. Secret scan of a verbose, debug, failing run' {
    BeforeAll {
        Reset-ConfluenceSession
        Reset-ConfluenceAuditEmulator $script:Emulator
        $credentials = @(
            Get-ConfluenceAuditEmulatorCredential -Account Admin
            Get-ConfluenceAuditEmulatorCredential -Account User
            Get-ConfluenceAuditEmulatorCredential -Account Wrong
        )
        $plain = @(Get-ConfluenceAuditEmulatorSecret) + @($credentials | ForEach-Object { $_.GetNetworkCredential().Password })
        $basic = @($credentials | ForEach-Object { [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($_.UserName):$($_.GetNetworkCredential().Password)")) })
        $script:Secrets = @($plain + $basic | Sort-Object -Unique)

        # The run happens in a child pwsh, as a user's console session: its console output is captured as well as
        # its transcript, every stream (*>&1, each item also shown so the transcript holds it), and $Error.
        $scenario = Join-Path $TestDrive 'SecretScan.Reliability.ps1'
        Set-Content -LiteralPath $scenario -Encoding utf8NoBOM -Value @'
param([string] $ModuleManifest, [string] $EmulatorModule, [string] $EmulatorUrl, [string] $OutDir)
$ErrorActionPreference = 'Continue'
Import-Module $ModuleManifest -ErrorAction Stop
Import-Module $EmulatorModule -ErrorAction Stop
$emulator = [pscustomobject]@{ Url = $EmulatorUrl; BaseUri = "$EmulatorUrl/wiki" }
foreach ($name in 'CONFLUENCE_BASE_URL', 'CONFLUENCE_EMAIL', 'CONFLUENCE_API_TOKEN', 'CONFLUENCE_TOKEN') { Remove-Item "Env:$name" -ErrorAction Ignore }
$Error.Clear()
$captured = [System.Collections.Generic.List[object]]::new()
Start-Transcript -LiteralPath (Join-Path $OutDir 'transcript.txt') -Force | Out-Null
try {
    & {
        $VerbosePreference = 'Continue'
        $DebugPreference = 'Continue'
        $connection = Connect-ConfluenceAudit -BaseUri $emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -MaximumRetryCount 2 -RetryIntervalSec 0 -MaximumRetryWaitSec 1 -PassThru -Verbose -Debug
        $connection
        $connection | Format-List * -Force | Out-String -Width 300
        Get-ConfluenceAuditRecord -First 3 -Verbose -Debug
        # 401: a wrong API token.
        try { Connect-ConfluenceAudit -BaseUri $emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential -Account Wrong) -Verbose -Debug }
        catch { $_; $_ | Format-List * -Force | Out-String -Width 300; $_.Exception | Format-List * -Force | Out-String -Width 300; $_.Exception.ToString() }
        # 429 until the retries are exhausted; then connections dropped and reset until they are.
        Set-ConfluenceAuditEmulatorFault -Emulator $emulator -Settings @{ Queue = '429', '429', '429'; RetryAfterSec = 0 } | Out-Null
        Get-ConfluenceAuditRecord -First 3 -Verbose -Debug
        Set-ConfluenceAuditEmulatorFault -Emulator $emulator -Settings @{ Queue = 'drop', 'reset', 'drop' } | Out-Null
        Get-ConfluenceAuditRecord -Last 30 -Unit Days -First 3 -Verbose -Debug
        # A POST whose answer is cut off.
        Set-ConfluenceAuditEmulatorFault -Emulator $emulator -Settings @{ Queue = 'drop' } | Out-Null
        New-ConfluenceAuditRecord -RemoteAddress 10.1.2.3 -Summary 'Reliability: secret scan' -Verbose -Debug
        Clear-ConfluenceAuditEmulatorFault $emulator
        # A token connection, and one made from the environment.
        Connect-ConfluenceAudit -BaseUri $emulator.BaseUri -Token (Get-ConfluenceAuditEmulatorToken) -PassThru -Verbose -Debug | Format-List * -Force | Out-String -Width 300
        Disconnect-ConfluenceAudit
        $env:CONFLUENCE_BASE_URL = $emulator.BaseUri
        $env:CONFLUENCE_EMAIL = 'admin@example.com'
        $env:CONFLUENCE_API_TOKEN = 'emulator-admin-token'
        Get-ConfluenceAuditRecord -First 1 -Verbose -Debug
        Get-ConfluenceAuditConnection | Format-List * -Force | Out-String -Width 300
        Remove-Item Env:CONFLUENCE_EMAIL, Env:CONFLUENCE_API_TOKEN
    } *>&1 | ForEach-Object { $captured.Add($_); $_ }
}
finally {
    Stop-Transcript | Out-Null
}

$texts = [System.Collections.Generic.List[string]]::new()
foreach ($item in $captured) {
    $texts.Add("$item")
    $texts.Add(($item | Out-String -Width 300))
    if ($item -is [System.Management.Automation.ErrorRecord]) {
        $texts.Add(($item | Format-List * -Force | Out-String -Width 300))
        $texts.Add(($item.Exception | Format-List * -Force | Out-String -Width 300))
        $texts.Add($item.Exception.ToString())
    }
}
Set-Content -LiteralPath (Join-Path $OutDir 'streams.txt') -Value ($texts -join "`n") -Encoding utf8NoBOM
$errorTexts = foreach ($e in @($Error)) {
    ($e | Out-String -Width 300)
    ($e | Format-List * -Force | Out-String -Width 300)
    $exception = if ($e -is [System.Management.Automation.ErrorRecord]) { $e.Exception } else { $e }
    if ($exception) { ($exception | Format-List * -Force | Out-String -Width 300); $exception.ToString() }
}
Set-Content -LiteralPath (Join-Path $OutDir 'errors.txt') -Value ($errorTexts -join "`n") -Encoding utf8NoBOM
[ordered]@{
    Items      = $captured.Count
    Verbose    = @($captured | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count
    RetryLines = @($captured | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'Retry \d+ of' }).Count
    Debug      = @($captured | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Count
    ErrorIds   = @($captured | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*$' })
    Errors     = $Error.Count
} | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $OutDir 'summary.json') -Encoding utf8NoBOM
'@
        $outDir = Join-Path $TestDrive 'secret-scan'
        New-Item -ItemType Directory -Path $outDir -Force | Out-Null
        $console = Join-Path $outDir 'console.txt'
        $emulatorModule = (Get-Module EmulatorProcess).Path
        $run = Invoke-ChildPwsh -File $scenario -TimeoutSec 300 -ArgumentList '-ModuleManifest', (Join-Path (Get-TestModulePath) 'ConfluenceAudit.psd1'),
            '-EmulatorModule', $emulatorModule, '-EmulatorUrl', $script:Emulator.Url, '-OutDir', $outDir
        $run.Output | Set-Content -LiteralPath $console
        $script:ScenarioExit = $run.ExitCode
        $script:Summary = if (Test-Path -LiteralPath (Join-Path $outDir 'summary.json')) { Get-Content -LiteralPath (Join-Path $outDir 'summary.json') -Raw | ConvertFrom-Json } else { $null }
        $script:Texts = [ordered]@{}
        foreach ($name in 'console', 'streams', 'errors', 'transcript') {
            $file = Join-Path $outDir "$name.txt"
            $script:Texts[$name] = if (Test-Path -LiteralPath $file) { Get-Content -LiteralPath $file -Raw } else { '' }
        }
        $script:Hits = [ordered]@{}
        foreach ($name in $script:Texts.Keys) { $script:Hits[$name] = Measure-SecretHit -Text $script:Texts[$name] -Secrets $script:Secrets }
        $total = ($script:Hits.Values | Measure-Object -Sum).Sum
        Write-Host "    secret hits: $total" -ForegroundColor Cyan
        $sizes = ($script:Texts.Keys | ForEach-Object { "$_ $($script:Texts[$_].Length)" }) -join ', '
        Add-Figure 'f' 'secret hits (console / streams / $Error / transcript)' "$total ($(@($script:Hits.Values) -join ' / ')) for $($script:Secrets.Count) secrets in characters: $sizes"
    }

    AfterAll { Reset-ConfluenceAuditEmulator $script:Emulator }

    It 'the scanner finds a secret when there is one' {
        Measure-SecretHit -Text "x $($script:Secrets[0]) y $($script:Secrets[-1])" -Secrets $script:Secrets | Should -Be 2
    }

    It 'the run produced what is scanned: verbose retry lines, debug output, the failures, a transcript' {
        $script:ScenarioExit | Should -Be 0 -Because $script:Texts.console
        $script:Summary | Should -Not -BeNullOrEmpty
        $script:Summary.Verbose | Should -BeGreaterThan 10
        $script:Summary.RetryLines | Should -BeGreaterOrEqual 4
        $script:Summary.ErrorIds | Should -Contain 'ConfluenceAuthenticationFailed'
        $script:Summary.ErrorIds | Should -Contain 'ConfluenceRateLimited'
        $script:Summary.ErrorIds | Should -Contain 'ConfluenceConnectionFailed'
        $script:Summary.Errors | Should -BeGreaterOrEqual 3
        foreach ($name in 'console', 'transcript') {
            $script:Texts[$name] | Should -Match 'Retry \d+ of' -Because "the $name shows the verbose stream"
            $script:Texts[$name] | Should -Match 'ConfluenceRateLimited|rate limiting' -Because "the $name shows the errors"
        }
        $script:Texts.streams | Should -Match 'admin@example\.com' -Because 'the user name is no secret, and shows the scan saw the connection'
    }

    It 'no secret in <Name>' -ForEach @(@{ Name = 'console' }, @{ Name = 'streams' }, @{ Name = 'errors' }, @{ Name = 'transcript' }) {
        $script:Hits[$Name] | Should -Be 0
    }
}

#Requires -Version 7.0
# Reliability: the BUILT module against the emulator's fault injection.
#   0. the emulator's fault injection itself (control endpoints untouched, seeded, queued, from the command line)
#   a. 100,000 records listed while 20% of requests fail in mixed ways (429 in three forms, 503, connections dropped
#      mid-body or reset) and records arrive: lost 0, duplicated 0
# Every test prints its figures (Write-Host) and asserts them; a summary of all figures is printed at the end.
# Waits are kept short (-RetryIntervalSec 0, Retry-After 0-2 s) except for the Ctrl+C back-off.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Reliability.Support.ps1')
}

AfterAll {
    Close-ReliabilityTest
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

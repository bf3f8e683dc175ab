#Requires -Version 7.0
# Incremental pulls (Get-ConfluenceAuditRecord -CheckpointPath) against the emulator: the first run and the checkpoint
# file, many runs with records arriving between and during them, and runs through throttling and interrupted responses.
# What the runs delivered is compared, as a multiset of content keys (records have no id; the emulator seeds records
# identical in every field), with what the server holds according to a direct reference listing, so the module is
# never checked against itself. Every scenario prints its figures (runs, records, lost, duplicated) with Write-Host.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Checkpoint.Support.ps1')
}

AfterAll {
    Close-CheckpointTest
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

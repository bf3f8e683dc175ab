#Requires -Version 7.0
# Incremental pulls (Get-ConfluenceAuditRecord -CheckpointPath) that do not finish: runs killed at random points (child
# processes), a failing pipeline, Ctrl+C and Select-Object -First.
# What the runs delivered is compared, as a multiset of content keys (records have no id; the emulator seeds records
# identical in every field), with what the server holds according to a direct reference listing, so the module is
# never checked against itself. Every scenario prints its figures (runs, records, lost, duplicated) with Write-Host.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Checkpoint.Support.ps1')
}

AfterAll {
    Close-CheckpointTest
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

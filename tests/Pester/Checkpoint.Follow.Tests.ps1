#Requires -Version 7.0
# Follow mode (Get-ConfluenceAuditRecord -Follow) against the emulator.
# What the runs delivered is compared, as a multiset of content keys (records have no id; the emulator seeds records
# identical in every field), with what the server holds according to a direct reference listing, so the module is
# never checked against itself. Every scenario prints its figures (runs, records, lost, duplicated) with Write-Host.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Checkpoint.Support.ps1')
}

AfterAll {
    Close-CheckpointTest
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

#Requires -Version 7.0
# Reliability: the BUILT module's paging against the emulator.
#   d. consistent paging: capped limit, size as a total, short pages, records arriving, a server that ignores
#      'start'; stall detection
# Every test prints its figures (Write-Host) and asserts them; a summary of all figures is printed at the end.
# Waits are kept short (-RetryIntervalSec 0, Retry-After 0-2 s) except for the Ctrl+C back-off.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Reliability.Support.ps1')
}

AfterAll {
    Close-ReliabilityTest
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

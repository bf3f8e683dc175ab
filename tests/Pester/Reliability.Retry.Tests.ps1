#Requires -Version 7.0
# Reliability: the BUILT module's retries against the emulator's fault injection.
#   b. retry behaviour: Retry-After (seconds, HTTP-date, huge), exhausted retries, -MaximumRetryCount 0,
#      verbose retry lines, a POST whose answer is lost is sent once
#   c. Ctrl+C during a 30-second back-off, measured
# Every test prints its figures (Write-Host) and asserts them; a summary of all figures is printed at the end.
# Waits are kept short (-RetryIntervalSec 0, Retry-After 0-2 s) except for the Ctrl+C back-off.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Reliability.Support.ps1')
}

AfterAll {
    Close-ReliabilityTest
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

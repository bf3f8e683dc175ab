#Requires -Version 7.0
# Reliability: the BUILT module against bad input.
#   e. a catalogue of bad inputs: each refused with an error id and no request sent
# Every test prints its figures (Write-Host) and asserts them; a summary of all figures is printed at the end.
# Waits are kept short (-RetryIntervalSec 0, Retry-After 0-2 s) except for the Ctrl+C back-off.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Reliability.Support.ps1')
}

AfterAll {
    Close-ReliabilityTest
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

#Requires -Version 7.0
# HTTP failures as ErrorRecords (401, 403, 404), what -Verbose shows, and that no secret ever reaches any output
# stream, $Error or a transcript.

BeforeAll {
    $script:Emulator = $null
    $script:SavedEnvironment = $null
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    $script:SavedEnvironment = Save-ConfluenceEnvironment
    Reset-ConfluenceSession
    $script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '200'
}

AfterAll {
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    if ($script:Emulator) { $script:Emulator | Stop-ConfluenceAuditEmulator }
}

Describe 'HTTP failures' {
    BeforeEach {
        Reset-ConfluenceSession
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
    }

    AfterEach { Reset-ConfluenceSession }

    It 'Connect with <Case> fails with <Id> (<Category>) after one <Status> answer and leaves no connection' -ForEach @(
        @{ Case = 'a wrong API token'; Id = 'ConfluenceAuthenticationFailed'; Category = 'AuthenticationError'; Status = 401; Scheme = 'Basic'
            Connect = { Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential -Account Wrong) } }
        @{ Case = 'a wrong token'; Id = 'ConfluenceAuthenticationFailed'; Category = 'AuthenticationError'; Status = 401; Scheme = 'Bearer'
            Connect = { Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Token (Get-ConfluenceAuditEmulatorToken -Account Wrong) } }
        @{ Case = 'a non-administrator'; Id = 'ConfluencePermissionDenied'; Category = 'PermissionDenied'; Status = 403; Scheme = 'Basic'
            Connect = { Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential -Account User) } }
        @{ Case = "a non-administrator's token"; Id = 'ConfluencePermissionDenied'; Category = 'PermissionDenied'; Status = 403; Scheme = 'Bearer'
            Connect = { Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Token (Get-ConfluenceAuditEmulatorToken -Account User) } }
        @{ Case = 'a base URL without /wiki'; Id = 'ConfluenceNotFound'; Category = 'ObjectNotFound'; Status = 404; Scheme = 'Basic'
            Connect = { Connect-ConfluenceAudit -BaseUri $script:Emulator.Url -Credential (Get-ConfluenceAuditEmulatorCredential) } }
    ) {
        $err = Invoke-Captured $Connect

        $err | Should -Not -BeNullOrEmpty -Because 'the failure stops the command'
        $err.FullyQualifiedErrorId | Should -Be "$Id,ConfluenceAudit.Commands.ConnectConfluenceAuditCommand"
        $err.CategoryInfo.Category | Should -Be $Category
        $err.Exception.Message | Should -Not -BeNullOrEmpty
        $err.Exception.GetType().FullName | Should -Be 'ConfluenceAudit.Models.ConfluenceApiException'
        $err.Exception.StatusCode | Should -Be $Status
        Get-ConfluenceAuditConnection | Should -BeNullOrEmpty
        # An address that is not Atlassian's and does not end in /wiki is a Data Center server to the module: it asks
        # for the auditing framework first, then for the audit resource, so a wrong address is two 404s.
        $expected = if ($Case -eq 'a base URL without /wiki') { 2 } else { 1 }
        $requests = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator)
        $requests.Count | Should -Be $expected -Because 'authentication and permission failures are not retried'
        $requests | ForEach-Object { $_.status | Should -Be $Status; $_.authScheme | Should -Be $Scheme }
    }

    It 'the 404 message tells the user to check the base URL' {
        $err = Invoke-Captured { Connect-ConfluenceAudit -BaseUri $script:Emulator.Url -Credential (Get-ConfluenceAuditEmulatorCredential) }

        "$($err.Exception.Message) $($err.ErrorDetails.Message)" | Should -Match 'base URL'
        # Not Atlassian's host and no /wiki: a Data Center server to the module, asked for the auditing framework first.
        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).path | Should -Be @('/rest/auditing/1.0/events', '/rest/api/audit')
    }

    It 'Get-ConfluenceAuditRecord reports <Id> (<Category>) as a terminating error' -ForEach @(
        @{ Id = 'ConfluenceAuthenticationFailed'; Category = 'AuthenticationError'; Variables = @{ CONFLUENCE_TOKEN = 'not-a-token' }; NoWiki = $false }
        @{ Id = 'ConfluencePermissionDenied'; Category = 'PermissionDenied'; Variables = @{ CONFLUENCE_EMAIL = 'user@example.com'; CONFLUENCE_API_TOKEN = 'emulator-user-token' }; NoWiki = $false }
        @{ Id = 'ConfluenceNotFound'; Category = 'ObjectNotFound'; Variables = @{ CONFLUENCE_TOKEN = 'emulator-admin-pat' }; NoWiki = $true }
    ) {
        # The environment is the only way to get a connection with bad credentials past Connect's check.
        $env:CONFLUENCE_BASE_URL = if ($NoWiki) { $script:Emulator.Url } else { $script:Emulator.BaseUri }
        foreach ($name in $Variables.Keys) { [Environment]::SetEnvironmentVariable($name, $Variables[$name]) }

        $err = Invoke-Captured { Get-ConfluenceAuditRecord -First 5 -ErrorAction SilentlyContinue }

        $err | Should -Not -BeNullOrEmpty -Because '-ErrorAction SilentlyContinue must not hide a failure no retry can fix'
        $err.FullyQualifiedErrorId | Should -Be "$Id,ConfluenceAudit.Commands.GetConfluenceAuditRecordCommand"
        $err.CategoryInfo.Category | Should -Be $Category
        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count | Should -Be $(if ($NoWiki) { 2 } else { 1 }) -Because 'without /wiki the module also asks for the Data Center auditing framework'
    }
}

Describe '-Verbose' {
    BeforeAll {
        Reset-ConfluenceSession
        Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential)
    }

    AfterAll { Reset-ConfluenceSession }

    It 'shows the method, the URL and the status of each request' {
        $verbose = @(Get-ConfluenceAuditRecord -First 3 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        $url = [regex]::Escape("$($script:Emulator.BaseUri)/rest/api/audit?")
        @($verbose -match "^GET $url\S*\blimit=3\b\S*\s.*\b200\b").Count | Should -Be 1 -Because "verbose said: $($verbose -join ' | ')"
    }

    It 'shows the status of a failed request' {
        $verbose = [System.Collections.Generic.List[object]]::new()
        try {
            Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential -Account User) -Verbose 4>&1 |
                ForEach-Object { $verbose.Add($_) }
        }
        catch { $null = $_ }

        $messages = @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $url = [regex]::Escape("$($script:Emulator.BaseUri)/rest/api/audit?")
        @($messages -match "^GET $url\S*\blimit=1\b\S*\s.*\b403\b").Count | Should -Be 1 -Because "verbose said: $($messages -join ' | ')"
    }
}

Describe 'No secret in any output' {
    BeforeAll {
        # The scenario runs in a child pwsh (a user's fresh session) whose console output is captured as well.
        $script:ScanFolder = Join-Path ([IO.Path]::GetTempPath()) "ConfluenceAudit.Pester.$PID.$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory -Path $script:ScanFolder | Out-Null
        $run = Invoke-ChildPwsh -File (Join-Path $PSScriptRoot 'SecretScan.Scenario.ps1') -ArgumentList '-ModulePath', (Get-TestModulePath),
            '-EmulatorModule', (Join-Path $script:RepoRoot 'src/ConfluenceAudit.Emulator/EmulatorProcess.psm1'), '-EmulatorUrl', $script:Emulator.Url, '-OutDir', $script:ScanFolder
        $script:ScenarioExitCode = $run.ExitCode
        $run.Output | Set-Content -LiteralPath (Join-Path $script:ScanFolder 'console.txt')

        $script:Summary = Get-Content -LiteralPath (Join-Path $script:ScanFolder 'summary.json') -Raw -ErrorAction Ignore | ConvertFrom-Json

        # Every secret the emulator knows, the wrong ones the scenario sends, and the Basic header values made from them.
        $secrets = @(Get-ConfluenceAuditEmulatorSecret) + 'not-the-token', 'not-a-token'
        $basic = foreach ($pair in 'admin@example.com:emulator-admin-token', 'user@example.com:emulator-user-token', 'admin@example.com:not-the-token') {
            [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($pair))
        }
        $script:Forbidden = @($secrets) + @($basic)
    }

    AfterAll {
        if ($script:ScanFolder) { Remove-Item -LiteralPath $script:ScanFolder -Recurse -Force -ErrorAction Ignore }
    }

    It 'the scenario really ran: records, verbose lines and the expected failures were captured' {
        $script:ScenarioExitCode | Should -Be 0 -Because (Get-Content -LiteralPath (Join-Path $script:ScanFolder 'console.txt') -Raw)
        $script:Summary.Records | Should -Be 6
        $script:Summary.Verbose | Should -BeGreaterThan 8
        $script:Summary.ErrorIds | Should -Be @('ConfluenceAuthenticationFailed', 'ConfluencePermissionDenied', 'ConfluenceNotFound', 'ConfluenceAuthenticationFailed', 'ConfluencePermissionDenied')
        $script:Summary.Errors | Should -BeGreaterOrEqual 5
        $transcript = Get-Content -LiteralPath (Join-Path $script:ScanFolder 'transcript.txt') -Raw
        $transcript | Should -Match 'ConfluencePermissionDenied'
        $transcript | Should -Match ([regex]::Escape("$($script:Emulator.BaseUri)/rest/api/audit"))
        # The connection objects were rendered, so a secret held by one would have been seen.
        Get-Content -LiteralPath (Join-Path $script:ScanFolder 'streams.txt') -Raw | Should -Match 'AuthenticationType\s*:\s*Bearer'
    }

    It 'no secret or Basic header value appears in <Where>' -ForEach @(
        @{ Where = 'the output, error, verbose, debug, warning and information streams'; File = 'streams.txt' }
        @{ Where = '$Error (records, exceptions and their properties)'; File = 'errors.txt' }
        @{ Where = 'the transcript'; File = 'transcript.txt' }
        @{ Where = 'the console'; File = 'console.txt' }
    ) {
        $text = Get-Content -LiteralPath (Join-Path $script:ScanFolder $File) -Raw
        $text.Length | Should -BeGreaterThan 500
        foreach ($secret in $script:Forbidden) {
            $text | Should -Not -Match ([regex]::Escape($secret)) -Because "'$secret' is a secret"
        }
    }
}

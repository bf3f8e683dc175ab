#Requires -Version 7.0
# Connect-ConfluenceAudit (-Credential, -Token, environment variables), Get-ConfluenceAuditConnection,
# Disconnect-ConfluenceAudit and the User-Agent, against the emulator.

BeforeAll {
    $script:Emulator = $null
    $script:SavedEnvironment = $null
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    $script:SavedEnvironment = Save-ConfluenceEnvironment
    Reset-ConfluenceSession
    $script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '50'
    $script:Secrets = Get-ConfluenceAuditEmulatorSecret
}

AfterAll {
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    if ($script:Emulator) { $script:Emulator | Stop-ConfluenceAuditEmulator }
}

Describe 'The module under test' {
    It 'is the built module from the module path, with the version stamped from Directory.Build.props' {
        $module = Get-Module ConfluenceAudit
        $module.ModuleBase | Should -Be (Get-TestModulePath)
        $module.ModuleBase | Should -Not -BeLike (Join-Path $script:RepoRoot 'src*')
        [xml] $props = Get-Content -LiteralPath (Join-Path $script:RepoRoot 'Directory.Build.props') -Raw
        $version = @($props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode('Version') } | Where-Object { $_ })[0].InnerText
        $module.Version | Should -Be ([version]$version)
        foreach ($name in 'Connect-ConfluenceAudit', 'Disconnect-ConfluenceAudit', 'Get-ConfluenceAuditConnection', 'Get-ConfluenceAuditRecord') {
            $module.ExportedCmdlets.Keys | Should -Contain $name
        }
    }
}

Describe 'Connect-ConfluenceAudit' {
    BeforeEach {
        Reset-ConfluenceSession
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
    }

    It 'connects with -Credential using Basic authentication and makes it the default connection' {
        $output = Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential)

        $output | Should -BeNullOrEmpty -Because 'without -PassThru Connect writes nothing'
        $requests = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator)
        $requests.Count | Should -Be 1 -Because 'Connect verifies the credentials with one cheap request'
        $requests[0].authScheme | Should -Be 'Basic'
        $requests[0].status | Should -Be 200
        $requests[0].path | Should -Be '/wiki/rest/api/audit'

        $connection = Get-ConfluenceAuditConnection
        $connection.BaseUri.AbsoluteUri.TrimEnd('/') | Should -Be $script:Emulator.BaseUri
        $connection.AuthenticationType | Should -Be 'Basic'
        $connection.UserName | Should -Be 'admin@example.com'
        $connection.Source | Should -Be 'Parameters'
        $connection.IsDisposed | Should -BeFalse

        @(Get-ConfluenceAuditRecord -First 2).Count | Should -Be 2
        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator)[-1].authScheme | Should -Be 'Basic'
    }

    It 'connects with -Token using Bearer authentication' {
        Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Token (Get-ConfluenceAuditEmulatorToken)

        $connection = Get-ConfluenceAuditConnection
        $connection.AuthenticationType | Should -Be 'Bearer'
        $connection.UserName | Should -BeNullOrEmpty
        $connection.Source | Should -Be 'Parameters'

        @(Get-ConfluenceAuditRecord -First 2).Count | Should -Be 2
        $requests = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator)
        $requests.Count | Should -Be 2
        $requests.authScheme | Should -Be @('Bearer', 'Bearer')
        $requests.status | Should -Be @(200, 200)
    }

    It '-PassThru returns the connection, the same one Get-ConfluenceAuditConnection shows' {
        $connection = Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -PassThru

        @($connection).Count | Should -Be 1
        $connection.GetType().FullName | Should -Be 'ConfluenceAudit.Models.ConfluenceAuditConnection'
        $connection.BaseUri.AbsoluteUri.TrimEnd('/') | Should -Be $script:Emulator.BaseUri
        [object]::ReferenceEquals($connection.psobject.BaseObject, (Get-ConfluenceAuditConnection).psobject.BaseObject) | Should -BeTrue
    }

    It 'uses an explicit -Connection instead of the default one' {
        $bearer = Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Token (Get-ConfluenceAuditEmulatorToken) -PassThru
        Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential)
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator

        @(Get-ConfluenceAuditRecord -First 1 -Connection $bearer).Count | Should -Be 1
        @(Get-ConfluenceAuditRecord -First 1).Count | Should -Be 1

        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).authScheme | Should -Be @('Bearer', 'Basic')
    }

    It 'does not replace the default connection when the new credentials are refused' {
        Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential)
        $before = Get-ConfluenceAuditConnection

        { Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Token (Get-ConfluenceAuditEmulatorToken -Account Wrong) } | Should -Throw

        [object]::ReferenceEquals((Get-ConfluenceAuditConnection).psobject.BaseObject, $before.psobject.BaseObject) | Should -BeTrue
        @(Get-ConfluenceAuditRecord -First 1).Count | Should -Be 1
    }
}

Describe 'Get-ConfluenceAuditConnection' {
    BeforeEach { Reset-ConfluenceSession }

    It 'returns nothing when not connected' {
        Get-ConfluenceAuditConnection | Should -BeNullOrEmpty
    }

    It 'shows site, authentication and user but never the secret (<Name>)' -ForEach @(
        @{ Name = 'Credential'; Connect = { Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) } }
        @{ Name = 'Token'; Connect = { Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Token (Get-ConfluenceAuditEmulatorToken) } }
    ) {
        & $Connect
        $connection = Get-ConfluenceAuditConnection

        $views = @(
            ($connection | Out-String)
            ($connection | Format-List * -Force | Out-String)
            ($connection | Format-Table * | Out-String -Width 500)
            ($connection | ConvertTo-Json -Depth 5)
            ($connection | Select-Object * | ConvertTo-Csv | Out-String)
            $connection.ToString()
        ) -join "`n"
        $views | Should -Match ([regex]::Escape($script:Emulator.BaseUri))
        foreach ($secret in $script:Secrets) {
            $views | Should -Not -Match ([regex]::Escape($secret))
        }
        $propertyNames = $connection.psobject.Properties.Name
        $propertyNames | Should -Not -Contain 'Token'
        $propertyNames | Should -Not -Contain 'Password'
        $propertyNames | Should -Not -Contain 'Credential'
        $propertyNames | Should -Not -Contain 'Secret'
    }
}

Describe 'Disconnect-ConfluenceAudit' {
    BeforeEach {
        Reset-ConfluenceSession
        Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential)
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
    }

    It 'forgets the default connection; Get-ConfluenceAuditRecord then fails with ConfluenceNotConnected and sends nothing' {
        $connection = Get-ConfluenceAuditConnection
        Disconnect-ConfluenceAudit

        Get-ConfluenceAuditConnection | Should -BeNullOrEmpty
        $connection.IsDisposed | Should -BeTrue
        $err = Invoke-Captured { Get-ConfluenceAuditRecord -First 1 }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'ConfluenceNotConnected,ConfluenceAudit.Commands.GetConfluenceAuditRecordCommand'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -Match 'Connect-ConfluenceAudit'
        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count | Should -Be 0
    }

    It 'disposes a connection passed through the pipeline; using it afterwards fails with ConfluenceConnectionClosed' {
        $connection = Get-ConfluenceAuditConnection
        $connection | Disconnect-ConfluenceAudit

        $err = Invoke-Captured { Get-ConfluenceAuditRecord -First 1 -Connection $connection }
        $err.FullyQualifiedErrorId | Should -Be 'ConfluenceConnectionClosed,ConfluenceAudit.Commands.GetConfluenceAuditRecordCommand'
        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count | Should -Be 0
    }

    It 'is quiet when there is nothing to disconnect' {
        Disconnect-ConfluenceAudit
        { Disconnect-ConfluenceAudit -ErrorAction Stop } | Should -Not -Throw
    }
}

Describe 'Connecting from environment variables' {
    BeforeEach {
        Reset-ConfluenceSession
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
    }

    AfterEach {
        Reset-ConfluenceSession
    }

    It '<Command> with CONFLUENCE_BASE_URL + <Variables> authenticates with <Scheme>' -ForEach @(
        @{ Command = 'Connect-ConfluenceAudit'; Variables = 'CONFLUENCE_EMAIL + CONFLUENCE_API_TOKEN'; Scheme = 'Basic'; UserName = 'admin@example.com' }
        @{ Command = 'Connect-ConfluenceAudit'; Variables = 'CONFLUENCE_TOKEN'; Scheme = 'Bearer'; UserName = $null }
        @{ Command = 'Get-ConfluenceAuditRecord'; Variables = 'CONFLUENCE_EMAIL + CONFLUENCE_API_TOKEN'; Scheme = 'Basic'; UserName = 'admin@example.com' }
        @{ Command = 'Get-ConfluenceAuditRecord'; Variables = 'CONFLUENCE_TOKEN'; Scheme = 'Bearer'; UserName = $null }
    ) {
        $env:CONFLUENCE_BASE_URL = $script:Emulator.BaseUri
        if ($Scheme -eq 'Basic') {
            $credential = Get-ConfluenceAuditEmulatorCredential
            $env:CONFLUENCE_EMAIL = $credential.UserName
            $env:CONFLUENCE_API_TOKEN = $credential.GetNetworkCredential().Password
        }
        else {
            $env:CONFLUENCE_TOKEN = [System.Net.NetworkCredential]::new('', (Get-ConfluenceAuditEmulatorToken)).Password
        }
        Get-ConfluenceAuditConnection | Should -BeNullOrEmpty -Because 'there is no prior connection'

        if ($Command -eq 'Connect-ConfluenceAudit') {
            Connect-ConfluenceAudit | Should -BeNullOrEmpty
        }
        else {
            $records = @(Get-ConfluenceAuditRecord -First 3)
            $records.Count | Should -Be 3
            $records[0].GetType().FullName | Should -Be 'ConfluenceAudit.Models.ConfluenceAuditRecord'
        }

        $connection = Get-ConfluenceAuditConnection
        $connection | Should -Not -BeNullOrEmpty -Because 'the connection made from the environment becomes the default'
        $connection.Source | Should -Be 'Environment'
        $connection.AuthenticationType | Should -Be $Scheme
        $connection.UserName | Should -Be $UserName
        $connection.BaseUri.AbsoluteUri.TrimEnd('/') | Should -Be $script:Emulator.BaseUri

        $requests = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator)
        $requests.Count | Should -BeGreaterThan 0
        $requests | ForEach-Object { $_.authScheme | Should -Be $Scheme; $_.status | Should -Be 200 }
    }

    It 'prefers explicit parameters over the environment' {
        $env:CONFLUENCE_BASE_URL = 'http://127.0.0.1:9/wiki'
        $env:CONFLUENCE_TOKEN = 'not-a-token'

        Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential)

        (Get-ConfluenceAuditConnection).Source | Should -Be 'Parameters'
        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).authScheme | Should -Be @('Basic')
    }

    It 'does not keep a connection from the environment whose credentials were refused' {
        # A user who set a wrong token, got a 401 and corrected the variable must not keep failing with the old token
        # (Connect-ConfluenceAudit keeps no refused connection either).
        $env:CONFLUENCE_BASE_URL = $script:Emulator.BaseUri
        $env:CONFLUENCE_TOKEN = 'not-a-token'
        { Get-ConfluenceAuditRecord -First 1 } | Should -Throw

        $env:CONFLUENCE_TOKEN = [System.Net.NetworkCredential]::new('', (Get-ConfluenceAuditEmulatorToken)).Password
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        $secondError = $null
        $records = @(try { Get-ConfluenceAuditRecord -First 1 } catch { $secondError = $_ })

        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).status | Should -Be @(200) -Because "the corrected CONFLUENCE_TOKEN must be used, not the refused one kept as the default connection ($secondError)"
        $secondError | Should -BeNullOrEmpty
        $records.Count | Should -Be 1
    }

    It 'fails with ConfluenceNotConnected when only CONFLUENCE_BASE_URL is set' {
        $env:CONFLUENCE_BASE_URL = $script:Emulator.BaseUri

        $err = Invoke-Captured { Get-ConfluenceAuditRecord -First 1 }
        $err.FullyQualifiedErrorId | Should -Be 'ConfluenceNotConnected,ConfluenceAudit.Commands.GetConfluenceAuditRecordCommand'
        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count | Should -Be 0
    }
}

Describe 'User-Agent' {
    It 'names ConfluenceAudit with its version and PowerShell with its version' {
        Reset-ConfluenceSession
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Token (Get-ConfluenceAuditEmulatorToken)
        Get-ConfluenceAuditRecord -First 1 | Out-Null

        $requests = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator)
        $requests.Count | Should -Be 2
        $version = (Get-Module ConfluenceAudit).Version
        foreach ($request in $requests) {
            $request.userAgent | Should -Match "(^|\s)ConfluenceAudit/$([regex]::Escape($version.ToString(3)))(\s|$)"
            $request.userAgent | Should -Match "(^|\s)PowerShell/$([regex]::Escape($PSVersionTable.PSVersion.ToString()))(\s|$)"
        }
    }
}

Describe 'Removing and importing the module again' {
    It 'leaves no closed connection behind as the default' {
        Reset-ConfluenceSession
        Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential)
        $modulePath = (Get-Module ConfluenceAudit).Path

        # Removing the module disposes every connection's HttpClient (IModuleAssemblyCleanup).
        Remove-Module ConfluenceAudit -Force
        Import-Module $modulePath -Global -ErrorAction Stop

        Get-ConfluenceAuditConnection | Where-Object IsDisposed | Should -BeNullOrEmpty -Because 'a disposed connection is no connection'
        $err = Invoke-Captured { Get-ConfluenceAuditRecord -First 1 }
        $err.FullyQualifiedErrorId | Should -Be 'ConfluenceNotConnected,ConfluenceAudit.Commands.GetConfluenceAuditRecordCommand' -Because "the user never ran Disconnect-ConfluenceAudit (the error said: $err)"
    }
}

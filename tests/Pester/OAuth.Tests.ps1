# Service accounts: Connect-ConfluenceAudit -ClientCredential against the emulator's token endpoint, tenant_info and
# API gateway, with tokens that live two seconds, so that a few seconds of work span several token lifetimes.
# What is proven: the connection shows the site, the gateway, ClientCredentials and TokenExpiresAt; a -Follow run over
# at least five token lifetimes and a full listing under 20% faults deliver every record once without a 401 reaching
# the user, with no more renewals than one per (renewal-shortened) lifetime plus the forced ones; requests refused with
# 401 in flight together, from eight runspaces, share one renewal; a revoked secret ends the run with
# ConfluenceAuthenticationFailed naming the token endpoint's error; CONFLUENCE_CLIENT_ID and CONFLUENCE_CLIENT_SECRET
# take their place among the environment variables; neither the secret nor a token is ever shown.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    Reset-ConfluenceSession

    $script:LifetimeSec = 2
    $script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '3000', '--max-limit', '100', '--token-lifetime-sec', $script:LifetimeSec
    $script:OAuthVariables = 'CONFLUENCE_BASE_URL', 'CONFLUENCE_EMAIL', 'CONFLUENCE_API_TOKEN', 'CONFLUENCE_TOKEN',
        'CONFLUENCE_CLIENT_ID', 'CONFLUENCE_CLIENT_SECRET', 'CONFLUENCE_TOKEN_URI'
    $script:ClientSecret = 'emulator-client-secret'
    $script:CloudId = (Invoke-RestMethod "$($script:Emulator.Url)/__emulator/oauth").cloudId
    $script:Gateway = "$($script:Emulator.Url)/ex/confluence/$($script:CloudId)"
    $script:TokenUri = "$($script:Emulator.Url)/oauth/token"

    function New-ClientCredential([string] $Secret = $script:ClientSecret) {
        [pscredential]::new('emulator-client-id', (ConvertTo-SecureString $Secret -AsPlainText -Force))
    }

    function Get-OAuthState { Invoke-RestMethod "$($script:Emulator.Url)/__emulator/oauth" }

    function Set-OAuthState([hashtable] $Settings) {
        Invoke-RestMethod "$($script:Emulator.Url)/__emulator/oauth" -Method Post -ContentType 'application/json' -Body ($Settings | ConvertTo-Json -Compress)
    }

    function Connect-Service {
        param([string] $BaseUri = $script:Gateway, [hashtable] $Extra = @{})
        Connect-ConfluenceAudit -BaseUri $BaseUri -ClientCredential (New-ClientCredential) -TokenUri $script:TokenUri `
            -RetryIntervalSec 0 -MaximumRetryWaitSec 1 -MaximumRetryCount 10 -PassThru -ErrorAction Stop @Extra
    }

    function Get-Key($Record) { Get-RecordKey $Record }

    function Get-TokenRequest {
        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator | Where-Object path -EQ '/oauth/token')
    }

    function New-ModuleRunspacePool([int] $Size) {
        $state = [initialsessionstate]::CreateDefault()
        $state.ImportPSModule((Join-Path (Get-TestModulePath) 'ConfluenceAudit.psd1'))
        $pool = [runspacefactory]::CreateRunspacePool(1, $Size, $state, $Host)
        $pool.Open()
        $pool
    }

    function Start-InPool($Pool, [scriptblock] $Script, [object[]] $ArgumentList = @()) {
        $ps = [powershell]::Create()
        $ps.RunspacePool = $Pool
        $null = $ps.AddScript($Script.ToString())
        foreach ($argument in $ArgumentList) { $null = $ps.AddArgument($argument) }
        $output = [Management.Automation.PSDataCollection[psobject]]::new()
        $handle = $ps.BeginInvoke([Management.Automation.PSDataCollection[psobject]]::new(), $output)
        [pscustomobject]@{ PowerShell = $ps; Handle = $handle; Output = $output }
    }

    function Wait-InPool($Job, [double] $TimeoutSec) {
        $ended = $Job.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSec))
        if (-not $ended) { $Job.PowerShell.Stop() }
        $ended
    }

    function Save-OAuthEnvironment {
        $saved = @{}
        foreach ($name in $script:OAuthVariables) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
        $saved
    }

    function Restore-OAuthEnvironment([hashtable] $Saved) {
        foreach ($name in $script:OAuthVariables) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
    }
}

AfterAll {
    Disconnect-ConfluenceAudit
    if ($script:Emulator) { $script:Emulator | Stop-ConfluenceAuditEmulator }
}

Describe 'Connecting with client credentials' {
    BeforeEach { Reset-ConfluenceAuditEmulator $script:Emulator }

    It 'finds the cloud id of a site address, goes through the gateway, and shows Site, BaseUri, ClientCredentials and TokenExpiresAt' {
        $before = [DateTimeOffset]::Now
        $connection = Connect-Service -BaseUri $script:Emulator.BaseUri -Extra @{ Deployment = 'Cloud'; Scope = 'read:audit-log:confluence', 'write:audit-log:confluence' }
        $requests = @(Get-ConfluenceAuditEmulatorRequest $script:Emulator)
        $token = @(Get-TokenRequest)
        $fields = ConvertFrom-QueryString (($token[0].body) -replace '\+', '%20')

        "$($connection.Site)" | Should -Be "$($script:Emulator.BaseUri)"
        "$($connection.BaseUri)" | Should -Be "$script:Gateway/wiki"
        $connection.AuthenticationType | Should -Be 'ClientCredentials'
        $connection.UserName | Should -Be 'emulator-client-id'
        $connection.TokenExpiresAt | Should -BeGreaterThan $before
        $connection.TokenExpiresAt | Should -BeLessOrEqual ([DateTimeOffset]::Now.AddSeconds($script:LifetimeSec + 1))
        $requests[0].path | Should -Be '/_edge/tenant_info' -Because 'the cloud id is found first, without credentials'
        $requests[0].authScheme | Should -BeNullOrEmpty
        $token.Count | Should -Be 1
        $fields['grant_type'] | Should -Be 'client_credentials'
        $fields['scope'] | Should -Be 'read:audit-log:confluence write:audit-log:confluence' -Because '-Scope is sent space-separated'
        @($requests | Where-Object { $_.path -like '/wiki/rest/*' }).Count | Should -Be 0 -Because "the site's own host refuses access tokens"
        @($requests | Where-Object { $_.path -like "/ex/confluence/$script:CloudId/wiki/rest/api/audit*" -and $_.authScheme -eq 'Bearer' }).Count | Should -BeGreaterThan 0
    }

    It 'refuses a token endpoint that is not an http(s) URL before any request' {
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        { Connect-ConfluenceAudit -BaseUri $script:Gateway -ClientCredential (New-ClientCredential) -TokenUri 'ftp://127.0.0.1/token' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConfluenceTokenUriInvalid*'
        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count | Should -Be 0
    }

    It 'a wrong secret fails the connection with ConfluenceAuthenticationFailed naming error and error_description, never the secret' {
        $err = $null
        try { Connect-ConfluenceAudit -BaseUri $script:Gateway -ClientCredential (New-ClientCredential 'not-the-secret') -TokenUri $script:TokenUri -ErrorAction Stop }
        catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'ConfluenceAuthenticationFailed,*'
        "$err" | Should -BeLike "*$script:TokenUri*access_denied*Unauthorized*client id and secret*"
        "$err" | Should -Not -BeLike '*not-the-secret*'
        "$($err.Exception)" | Should -Not -BeLike '*not-the-secret*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
    }
}

Describe 'Renewal' {
    BeforeEach { Reset-ConfluenceAuditEmulator $script:Emulator }

    It 'a -Follow run over at least five token lifetimes delivers every record once, with no error and one renewal per lifetime at most' {
        $connection = Connect-Service
        $pool = New-ModuleRunspacePool 2
        try {
            $startMs = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
            $count = 24
            $inserter = Start-InPool $pool -ArgumentList $script:Emulator.Url, $count -Script {
                param($Url, $Count)
                Start-Sleep -Milliseconds 800
                for ($i = 0; $i -lt $Count; $i++) { Invoke-RestMethod -Method Post -Uri "$Url/__emulator/records?count=1" -NoProxy | Out-Null; Start-Sleep -Milliseconds 450 }
            }
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $follow = Start-InPool $pool -ArgumentList $connection, $count -Script {
                param($Connection, $Count)
                Get-ConfluenceAuditRecord -Connection $Connection -Follow -PollIntervalSec 1 | Select-Object -First $Count
            }
            $ended = Wait-InPool $follow 60
            $seconds = $sw.Elapsed.TotalSeconds
            $got = @($follow.Output)
            $errors = @($follow.PowerShell.Streams.Error | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" })
            Wait-InPool $inserter 30 | Out-Null
        }
        finally { $pool.Dispose() }
        $state = Get-OAuthState
        $arrived = @(Invoke-RestMethod "$($script:Emulator.BaseUri)/rest/api/audit?startDate=$startMs&limit=1000" -Headers (Get-AdminAuthorizationHeader)).results
        $lifetimes = $seconds / $script:LifetimeSec
        # A token is renewed in the last fifth of its life: at most one per four fifths of a lifetime, plus the first and any forced by a 401.
        $allowed = [math]::Ceiling($seconds / ($script:LifetimeSec * 0.8)) + 1 + $state.rejected
        Write-Host ("Follow over {0:0.0} s ({1:0.0} token lifetimes): {2} records, {3} tokens issued (allowed {4}), {5} gateway 401s, errors: {6}" -f
            $seconds, $lifetimes, $got.Count, $state.issued, $allowed, $state.rejected, ($errors -join '; '))

        $ended | Should -BeTrue
        $lifetimes | Should -BeGreaterOrEqual 5
        $errors | Should -BeNullOrEmpty
        $got.Count | Should -Be $count
        @($got | ForEach-Object { Get-Key $_ } | Sort-Object -Unique).Count | Should -Be $count -Because 'each record once'
        @($arrived | ForEach-Object { Get-WireRecordKey $_ } | Sort-Object) | Should -Be @($got | ForEach-Object { Get-Key $_ } | Sort-Object)
        $state.issued | Should -BeGreaterOrEqual ([math]::Floor($lifetimes))
        $state.issued | Should -BeLessOrEqual $allowed
    }

    It 'a full listing under 20% faults, spanning several token lifetimes, delivers every record once with no error' {
        $connection = Connect-Service -Extra @{ MaxConcurrency = 2 }
        $reference = @(Get-ConfluenceAuditRecord -Connection $connection | ForEach-Object { Get-Key $_ })
        Set-ConfluenceAuditEmulatorConfig -Emulator $script:Emulator -Settings @{ latencyMs = 120 } | Out-Null
        Clear-ConfluenceAuditEmulatorStat $script:Emulator
        Set-ConfluenceAuditEmulatorFault -Emulator $script:Emulator -Settings @{
            FailureRate = 0.2; Kinds = '429', '503', 'drop', 'reset'; RetryAfterSec = 0; Seed = 20261202
        } | Out-Null
        $issuedBefore = (Get-OAuthState).issued
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $errors = $null
        $listed = @(Get-ConfluenceAuditRecord -Connection $connection -ErrorVariable errors | ForEach-Object { Get-Key $_ })
        $seconds = $sw.Elapsed.TotalSeconds
        Clear-ConfluenceAuditEmulatorFault $script:Emulator
        Set-ConfluenceAuditEmulatorConfig -Emulator $script:Emulator -Settings @{ latencyMs = 0 } | Out-Null
        $stats = Get-ConfluenceAuditEmulatorStat $script:Emulator
        $state = Get-OAuthState
        $renewals = $state.issued - $issuedBefore
        $tokenFaults = @(Get-TokenRequest | Where-Object { $_.fault }).Count
        Write-Host ("Listing under 20% faults: {0} of {1} records in {2:0.0} s ({3:0.0} lifetimes), {4} faults ({5} at the token endpoint), {6} renewals, {7} gateway 401s" -f
            $listed.Count, $reference.Count, $seconds, ($seconds / $script:LifetimeSec), $stats.FaultsInjected, $tokenFaults, $renewals, $state.rejected)

        $errors | Should -BeNullOrEmpty
        $seconds / $script:LifetimeSec | Should -BeGreaterOrEqual 2 -Because 'the listing outlives several tokens'
        $stats.FaultsInjected | Should -BeGreaterOrEqual 5
        $listed.Count | Should -Be $reference.Count
        Compare-Object $reference $listed | Should -BeNullOrEmpty -Because 'the same records, each as often as the reference listing has it'
        $renewals | Should -BeLessOrEqual ([math]::Ceiling($seconds / ($script:LifetimeSec * 0.8)) + 1 + $state.rejected)
    }

    It 'a renewal that meets 503, a dropped answer and 429 at the token endpoint is retried like any request, and the listing goes on' {
        $connection = Connect-Service
        Set-OAuthState @{ expireTokens = $true } | Out-Null
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        Set-ConfluenceAuditEmulatorFault -Emulator $script:Emulator -Settings @{ Queue = '503', 'drop', '429'; RetryAfterSec = 0; Path = '/oauth/token' } | Out-Null
        $errors = $null
        $count = @(Get-ConfluenceAuditRecord -Connection $connection -First 120 -ErrorVariable errors).Count
        Clear-ConfluenceAuditEmulatorFault $script:Emulator
        $tokens = @(Get-TokenRequest)
        Write-Host ("Renewal through token-endpoint faults: {0} token requests ({1}), {2} records" -f $tokens.Count, (($tokens | ForEach-Object { if ($_.fault) { $_.fault } else { $_.status } }) -join ', '), $count)

        $errors | Should -BeNullOrEmpty
        $count | Should -Be 120
        @($tokens | Where-Object fault | ForEach-Object fault) | Should -Be @('503', 'drop', '429')
        $tokens[-1].status | Should -Be 200
        $tokens.Count | Should -Be 4
    }

    It 'requests refused with 401 in eight runspaces sharing one connection renew the token once, not eight times' {
        Set-OAuthState @{ tokenLifetimeSec = 3600 } | Out-Null
        $connection = Connect-Service
        $pool = New-ModuleRunspacePool 8
        try {
            # Every token lapses at once, and the token endpoint is slow: all eight find theirs refused while one renewal runs.
            Set-OAuthState @{ expireTokens = $true } | Out-Null
            Set-ConfluenceAuditEmulatorConfig -Emulator $script:Emulator -Settings @{ latencyMs = 300 } | Out-Null
            $issuedBefore = (Get-OAuthState).issued
            $jobs = @(1..8 | ForEach-Object {
                    Start-InPool $pool -ArgumentList $connection -Script {
                        param($Connection)
                        @(Get-ConfluenceAuditRecord -Connection $Connection -First 150).Count
                    }
                })
            $ended = @($jobs | ForEach-Object { Wait-InPool $_ 60 })
            $counts = @($jobs | ForEach-Object { $_.Output[0] })
            $errors = @($jobs | ForEach-Object { $_.PowerShell.Streams.Error } | ForEach-Object { "$_" })
        }
        finally {
            Set-ConfluenceAuditEmulatorConfig -Emulator $script:Emulator -Settings @{ latencyMs = 0 } | Out-Null
            $pool.Dispose()
        }
        $state = Get-OAuthState
        Write-Host ("Eight runspaces after every token lapsed: {0} gateway 401s, {1} renewal(s); records {2}; errors: {3}" -f
            $state.rejected, ($state.issued - $issuedBefore), ($counts -join ','), ($errors -join '; '))

        $ended | Should -Not -Contain $false
        $errors | Should -BeNullOrEmpty
        $counts | Should -Be @(150, 150, 150, 150, 150, 150, 150, 150)
        $state.rejected | Should -BeGreaterOrEqual 2 -Because 'several requests met the lapsed token'
        $state.issued - $issuedBefore | Should -Be 1
    }

    It 'a secret revoked during a -Follow run ends it with ConfluenceAuthenticationFailed once the token lapses' {
        $connection = Connect-Service
        $pool = New-ModuleRunspacePool 1
        try {
            $follow = Start-InPool $pool -ArgumentList $connection -Script {
                param($Connection)
                try { Get-ConfluenceAuditRecord -Connection $Connection -Follow -PollIntervalSec 1 -ErrorAction Stop | Out-Null }
                catch { $_ }
            }
            Start-Sleep -Milliseconds 1500
            Set-OAuthState @{ revoked = $true } | Out-Null
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $ended = Wait-InPool $follow 30
            $seconds = $sw.Elapsed.TotalSeconds
            $record = @($follow.Output | Where-Object { $_ -is [Management.Automation.ErrorRecord] }) | Select-Object -First 1
        }
        finally { $pool.Dispose() }
        Write-Host ("Follow after the secret was revoked: ended {0} after {1:0.0} s with {2}: {3}" -f $ended, $seconds, $record.FullyQualifiedErrorId, $record)

        $ended | Should -BeTrue
        $seconds | Should -BeLessThan ($script:LifetimeSec + 10)
        $record.FullyQualifiedErrorId | Should -BeLike 'ConfluenceAuthenticationFailed,*'
        "$record" | Should -BeLike "*access_denied*Unauthorized*role on the site*"
        "$record" | Should -Not -BeLike "*$script:ClientSecret*"
    }
}

Describe 'Environment variables' {
    BeforeAll { $script:SavedEnvironment = Save-OAuthEnvironment }
    AfterAll { Restore-OAuthEnvironment $script:SavedEnvironment; Disconnect-ConfluenceAudit }
    BeforeEach {
        Reset-ConfluenceAuditEmulator $script:Emulator
        Disconnect-ConfluenceAudit
        foreach ($name in $script:OAuthVariables) { Remove-Item -LiteralPath "Env:$name" -ErrorAction SilentlyContinue }
        $env:CONFLUENCE_BASE_URL = $script:Gateway
    }

    It 'CONFLUENCE_CLIENT_ID, CONFLUENCE_CLIENT_SECRET and CONFLUENCE_TOKEN_URI make a ClientCredentials connection, ahead of CONFLUENCE_TOKEN' {
        $env:CONFLUENCE_CLIENT_ID = 'emulator-client-id'
        $env:CONFLUENCE_CLIENT_SECRET = $script:ClientSecret
        $env:CONFLUENCE_TOKEN_URI = $script:TokenUri
        $env:CONFLUENCE_TOKEN = 'emulator-admin-pat'
        @(Get-ConfluenceAuditRecord -First 3).Count | Should -Be 3
        $connection = Get-ConfluenceAuditConnection
        $connection.AuthenticationType | Should -Be 'ClientCredentials'
        $connection.Source | Should -Be 'Environment'
        $connection.TokenExpiresAt | Should -Not -BeNullOrEmpty
    }

    It 'CONFLUENCE_EMAIL and CONFLUENCE_API_TOKEN still come first' {
        $env:CONFLUENCE_BASE_URL = $script:Emulator.BaseUri
        $env:CONFLUENCE_EMAIL = 'admin@example.com'
        $env:CONFLUENCE_API_TOKEN = 'emulator-admin-token'
        $env:CONFLUENCE_CLIENT_ID = 'emulator-client-id'
        $env:CONFLUENCE_CLIENT_SECRET = $script:ClientSecret
        Connect-ConfluenceAudit -ErrorAction Stop
        (Get-ConfluenceAuditConnection).AuthenticationType | Should -Be 'Basic'
    }

    It 'only one of the pair is a clear error, before any request' -TestCases @(
        @{ Set = 'CONFLUENCE_CLIENT_ID'; Missing = 'CONFLUENCE_CLIENT_SECRET' }
        @{ Set = 'CONFLUENCE_CLIENT_SECRET'; Missing = 'CONFLUENCE_CLIENT_ID' }
    ) {
        param($Set, $Missing)
        [Environment]::SetEnvironmentVariable($Set, 'something')
        Clear-ConfluenceAuditEmulatorRequest $script:Emulator
        $err = $null
        try { Get-ConfluenceAuditRecord -First 1 -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'ConfluenceEnvironmentInvalid,*'
        "$err" | Should -BeLike "*$Set is set but $Missing is not*"
        @(Get-ConfluenceAuditEmulatorRequest $script:Emulator).Count | Should -Be 0
    }
}

Describe 'Data Center' {
    It 'a Data Center service account gets its tokens at the server''s own /rest/oauth2/latest/token and reads the log' {
        $dc = Start-ConfluenceAuditEmulator -ArgumentList '--deployment', 'datacenter', '--records', '200'
        try {
            $connection = Connect-ConfluenceAudit -BaseUri $dc.BaseUri -ClientCredential (New-ClientCredential) -PassThru -ErrorAction Stop
            $count = @(Get-ConfluenceAuditRecord -Connection $connection -First 120).Count
            $tokens = @(Get-ConfluenceAuditEmulatorRequest $dc | Where-Object path -EQ '/confluence/rest/oauth2/latest/token')
            Disconnect-ConfluenceAudit -Connection $connection
        }
        finally { $dc | Stop-ConfluenceAuditEmulator }

        $connection.Deployment | Should -Be 'DataCenter'
        $connection.AuditApi | Should -Be 'AuditingFramework'
        $connection.AuthenticationType | Should -Be 'ClientCredentials'
        $count | Should -Be 120
        $tokens.Count | Should -Be 1
        $tokens[0].status | Should -Be 200
    }
}

Describe 'Data Center answering a lapsed token with its login page' {
    It 'renews the token once and goes on when the server answers 200 with its login page instead of 401' {
        # Data Center takes a request with a token it no longer knows for an anonymous one; with --dc-anonymous html it
        # answers with its login page and status 200, not 401 and not a redirect.
        $dc = Start-ConfluenceAuditEmulator -ArgumentList '--deployment', 'datacenter', '--records', '200', '--dc-anonymous', 'html'
        try {
            $connection = Connect-ConfluenceAudit -BaseUri $dc.BaseUri -ClientCredential (New-ClientCredential) -PassThru -ErrorAction Stop
            $first = @(Get-ConfluenceAuditRecord -Connection $connection -First 10).Count
            Invoke-RestMethod "$($dc.Url)/__emulator/oauth" -Method Post -ContentType 'application/json' -Body '{"expireTokens":true}' | Out-Null
            Clear-ConfluenceAuditEmulatorRequest $dc

            $records = @(Get-ConfluenceAuditRecord -Connection $connection -First 120 -ErrorVariable failures -Verbose 4>&1)
            $requests = @(Get-ConfluenceAuditEmulatorRequest $dc)
            Disconnect-ConfluenceAudit -Connection $connection
        }
        finally { $dc | Stop-ConfluenceAuditEmulator }

        $first | Should -Be 10
        $failures | Should -BeNullOrEmpty
        @($records | Where-Object { $_ -is [ConfluenceAudit.Models.ConfluenceAuditRecord] }).Count | Should -Be 120
        @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and "$_" -like '*refused (its login page instead of an answer)*' }).Count | Should -Be 1
        @($requests | Where-Object path -EQ '/confluence/rest/oauth2/latest/token').Count | Should -Be 1 -Because 'one renewal'
        @($requests | Where-Object { $_.path -like '*/login.action' }).Count | Should -Be 0
    }
}

Describe 'Secrets' {
    It 'neither the client secret nor any access token appears in any stream, error, verbose and debug line, transcript or checkpoint' {
        Reset-ConfluenceAuditEmulator $script:Emulator
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $checkpoint = Join-Path $TestDrive 'checkpoint.json'
        Start-Transcript -LiteralPath $transcript | Out-Null
        try {
            $output = & {
                $connection = Connect-Service -Extra @{ Verbose = $true; Debug = $true }
                $connection | Format-List * | Out-String
                Set-OAuthState @{ expireTokens = $true } | Out-Null
                Get-ConfluenceAuditRecord -Connection $connection -First 250 -Verbose -Debug | Out-String
                Get-ConfluenceAuditRecord -Connection $connection -CheckpointPath $checkpoint -StartDate (Get-Date).AddDays(-2) -Verbose | Measure-Object | Out-String
                Set-OAuthState @{ revoked = $true } | Out-Null
                Set-OAuthState @{ expireTokens = $true } | Out-Null
                try { Get-ConfluenceAuditRecord -Connection $connection -First 1 -Verbose -ErrorAction Stop } catch { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String }
            } *>&1 | Out-String
        }
        finally {
            Stop-Transcript | Out-Null
            Set-OAuthState @{ revoked = $false } | Out-Null
        }
        $files = (Get-Content -Raw -LiteralPath $transcript) + (Get-Content -Raw -LiteralPath $checkpoint)

        $output | Should -BeLike '*access token was refused (401)*' -Because 'the forced renewal is reported'
        $output | Should -BeLike '*ConfluenceAuthenticationFailed*'
        (Get-Content -Raw -LiteralPath $checkpoint) | Should -BeLike "*ex/confluence/$script:CloudId/wiki*" -Because 'the checkpoint holds the site as connected'
        foreach ($text in $output, $files) {
            $text | Should -Not -BeLike "*$script:ClientSecret*"
            $text | Should -Not -Match 'emu-oauth-[0-9a-f]'
        }
    }
}

#Requires -Version 7.0
# Confluence Data Center against the emulator's Data Center mode (--deployment datacenter): the emulator's mode itself,
# connecting (context path, personal access tokens and Basic, a wrong token answered as anonymous, a space
# administrator), Data Center before 7.5 (legacy resource only), and one script that runs unchanged against Cloud and
# Data Center.
# Expected results come from the emulator in one direct request (raw JSON, timestamps kept as text), so the module is
# never checked against itself.

BeforeAll {
    . (Join-Path $PSScriptRoot 'DataCenter.Support.ps1')
}

AfterAll {
    Close-DataCenterTest
}

Describe 'The emulator in Data Center mode' {
    BeforeEach { Reset-ConfluenceAuditEmulator $script:Dc }

    It 'prints its base URL with the context path and answers under it' {
        $script:Dc.BaseUri | Should -Match '^http://127\.0\.0\.1:\d+/confluence$'
        (Invoke-RestMethod -Uri "$($script:Dc.BaseUri)$script:RetentionPath" -Headers $script:AdminHeader).period.months | Should -Be 3
    }

    It 'refuses a from whose + arrived as a space, with the framework error body' {
        $err = Invoke-Captured { Invoke-WebRequest -Uri "$($script:Dc.BaseUri)$script:EventsPath`?from=2026-01-01T00:00:00+01:00" -Headers $script:AdminHeader }
        $err.Exception.Response.StatusCode | Should -Be 400
        $body = $err.ErrorDetails.Message | ConvertFrom-Json
        @($body).Count | Should -Be 1
        $body[0].status | Should -Be 400
        $body[0].errors[0].message | Should -Match '%2B'
    }

    It 'adds an "Audit Log search performed" event for every read of the events' {
        $before = Get-ConfluenceAuditEmulatorRecordCount $script:Dc
        1..3 | ForEach-Object { Invoke-RestMethod -Uri "$($script:Dc.BaseUri)$script:EventsPath`?limit=1" -Headers $script:AdminHeader | Out-Null }
        Get-ConfluenceAuditEmulatorRecordCount $script:Dc | Should -Be ($before + 3)
        (Get-DcEntity -Filter @{ search = 'Audit Log search performed' }).Count | Should -Be 3
    }

    It 'answers an unknown token with a redirect to its own login page, and PUT without X-Atlassian-Token with 403' {
        $response = Invoke-WebRequest -Uri "$($script:Dc.BaseUri)$script:EventsPath" -Headers @{ Authorization = 'Bearer nobody' } -MaximumRedirection 0 -SkipHttpErrorCheck -ErrorAction Ignore
        $response.StatusCode | Should -Be 302
        [string]$response.Headers.Location | Should -BeLike "$($script:Dc.BaseUri)/login.action?os_destination=*"
        $put = Invoke-WebRequest -Method Put -Uri "$($script:Dc.BaseUri)$script:RetentionPath" -Headers $script:AdminHeader -ContentType 'application/json' -Body '{"period":{"months":6}}' -SkipHttpErrorCheck
        $put.StatusCode | Should -Be 403
        $put.Content | Should -Be 'XSRF check failed'
    }
}

Describe 'Connecting to Data Center' {
    BeforeEach {
        Reset-ConfluenceSession
        Reset-ConfluenceAuditEmulator $script:Dc
    }

    AfterEach { Reset-ConfluenceSession }

    It 'connects with a personal access token, keeps the context path and finds the auditing framework with one request' {
        $connection = Connect-DataCenter

        $connection.Deployment | Should -Be 'DataCenter'
        $connection.AuditApi | Should -Be 'AuditingFramework'
        $connection.BaseUri.AbsolutePath.TrimEnd('/') | Should -Be '/confluence'
        $requests = Get-ApiRequest $script:Dc
        $requests.Count | Should -Be 1 -Because 'every read of the log is audited on Data Center, so the check costs one request'
        $requests[0].Path | Should -Be "/confluence$script:EventsPath"
        $requests[0].AuthScheme | Should -Be 'Bearer'
    }

    It 'connects with user name and password (Basic)' {
        $connection = Connect-ConfluenceAudit -BaseUri $script:Dc.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential -Deployment DataCenter) -PassThru

        $connection.AuditApi | Should -Be 'AuditingFramework'
        (Get-ApiRequest $script:Dc).AuthScheme | Sort-Object -Unique | Should -Be 'Basic'
    }

    It 'never adds /wiki: every request of a session stays under the context path' {
        Connect-DataCenter | Out-Null
        Get-ConfluenceAuditRecord -First 5 | Out-Null
        Get-ConfluenceAuditRetention | Out-Null
        Export-ConfluenceAudit -Path (Join-Path $TestDrive 'paths.csv') -StartDate (Get-Date).AddDays(-1)

        $requests = Get-ApiRequest $script:Dc
        $requests.Count | Should -BeGreaterOrEqual 4
        $requests | ForEach-Object { $_.Path | Should -BeLike '/confluence/rest/*'; $_.Path | Should -Not -BeLike '*/wiki*' }
    }

    It 'fails with AuthenticationError on a wrong token answered as anonymous (<Variant>) and sends nothing to the login page' -ForEach @(
        @{ Variant = 'redirect' }
        @{ Variant = 'html' }
    ) {
        Set-ConfluenceAuditEmulatorConfig $script:Dc @{ dcAnonymous = $Variant } | Out-Null

        $err = Invoke-Captured { Connect-ConfluenceAudit -BaseUri $script:Dc.BaseUri -Token (Get-ConfluenceAuditEmulatorToken -Account Wrong) }

        $err | Should -Not -BeNullOrEmpty
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Not -Match 'not-a-token'
        Get-ConfluenceAuditConnection | Should -BeNullOrEmpty
        $requests = Get-ApiRequest $script:Dc
        $requests.Count | Should -BeGreaterOrEqual 1
        $requests | ForEach-Object { $_.Path | Should -Not -BeLike '*login.action*' -Because 'a redirect is never followed with credentials' }
        $requests | ForEach-Object { $_.Path | Should -BeLike '/confluence/rest/*' }
    }

    It 'fails with AuthenticationError on a wrong password (401)' {
        $err = Invoke-Captured { Connect-ConfluenceAudit -BaseUri $script:Dc.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential -Account Wrong -Deployment DataCenter) }

        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        (Get-ApiRequest $script:Dc).Status | Sort-Object -Unique | Should -Be 401
    }

    It 'warns a space administrator at connect, refuses their unfiltered read and lets them read their space with -AffectedObject space,ID' {
        $warnings = $null
        $connection = Connect-ConfluenceAudit -BaseUri $script:Dc.BaseUri -Token (Get-ConfluenceAuditEmulatorToken -Account User) -PassThru -WarningVariable warnings -WarningAction SilentlyContinue

        $connection.AuditApi | Should -Be 'AuditingFramework'
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -Match 'AffectedObject'

        Clear-ConfluenceAuditEmulatorRequest $script:Dc
        $records = @(Get-ConfluenceAuditRecord -AffectedObject "space,$script:UserSpaceId" -PageSize 25)
        $requests = Get-ApiRequest $script:Dc
        $requests.Query.affectedObject | Sort-Object -Unique | Should -Be "space,$script:UserSpaceId"
        $expected = Get-DcEntity -To (Get-PinnedEnd $requests) -Filter @{ affectedObject = "space,$script:UserSpaceId" }
        $records.Count | Should -BeGreaterThan 25 -Because 'the space has more events than one page holds'
        Compare-Sequence -Actual @($records | Get-DcRecordKey) -Expected @($expected | Get-DcEntityKey) | Should -BeNullOrEmpty
        $records | ForEach-Object { @(@($_.AffectedObject) + @($_.AssociatedObjects) | Where-Object { $_.Id -eq $script:UserSpaceId }).Count | Should -BeGreaterThan 0 }

        $err = Invoke-Captured { Get-ConfluenceAuditRecord -First 1 -ErrorAction Stop }
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
    }

    It 'keeps a context path of /wiki that an administrator chose, and finds the auditing framework there with -Deployment DataCenter' {
        $wiki = Start-DataCenterEmulator -Records 50 -Extra '--context-path', '/wiki'
        $wiki.BaseUri | Should -BeLike '*/wiki'
        $named = Connect-ConfluenceAudit -BaseUri $wiki.BaseUri -Token (Get-ConfluenceAuditEmulatorToken) -Deployment DataCenter -PassThru
        $named.AuditApi | Should -Be 'AuditingFramework'
        $named | Disconnect-ConfluenceAudit

        # Without -Deployment, an address ending in /wiki is taken to be laid out like Cloud's (as the Cloud emulator is,
        # so connecting to it costs one request): it stays Data Center with its path, read through /rest/api/audit.
        Clear-ConfluenceAuditEmulatorRequest $wiki
        $connection = Connect-ConfluenceAudit -BaseUri $wiki.BaseUri -Token (Get-ConfluenceAuditEmulatorToken) -PassThru
        $connection.Deployment | Should -Be 'DataCenter'
        $connection.BaseUri.AbsolutePath.TrimEnd('/') | Should -Be '/wiki'
        $connection.AuditApi | Should -Be 'AuditResource'
        (Get-ApiRequest $wiki).Path | Should -Be @('/wiki/rest/api/audit')
    }

    It 'works at the root context (no context path)' {
        $root = Start-DataCenterEmulator -Records 50 -Extra '--context-path', '/'
        $root.BaseUri | Should -Match '^http://127\.0\.0\.1:\d+$'
        $connection = Connect-ConfluenceAudit -BaseUri $root.BaseUri -Token (Get-ConfluenceAuditEmulatorToken) -PassThru
        $connection.AuditApi | Should -Be 'AuditingFramework'
        @(Get-ConfluenceAuditRecord -First 10).Count | Should -Be 10
        (Get-ApiRequest $root).Path | Sort-Object -Unique | Should -Be $script:EventsPath
    }
}

Describe 'Data Center before 7.5 (legacy resource only)' {
    BeforeAll {
        Reset-ConfluenceSession
        $script:Old = Start-DataCenterEmulator -Records 300 -Extra '--dc-version', '7.4'
    }

    AfterEach { Reset-ConfluenceSession }

    It 'is read through /rest/api/audit at the context path, with the Cloud logic and no /wiki' {
        Clear-ConfluenceAuditEmulatorRequest $script:Old
        $connection = Connect-ConfluenceAudit -BaseUri $script:Old.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential -Deployment DataCenter) -PassThru

        $connection.Deployment | Should -Be 'DataCenter'
        $connection.AuditApi | Should -Be 'AuditResource'
        $connection.BaseUri.AbsolutePath.TrimEnd('/') | Should -Be '/confluence'
        $connect = Get-ApiRequest $script:Old
        $connect[0].Path | Should -Be "/confluence$script:EventsPath"
        $connect[0].Status | Should -Be 404
        $connect | Select-Object -Skip 1 | ForEach-Object { $_.Path | Should -Be '/confluence/rest/api/audit' }

        Clear-ConfluenceAuditEmulatorRequest $script:Old
        $records = @(Get-ConfluenceAuditRecord -PageSize 100)
        $requests = Get-ApiRequest $script:Old
        $requests.Path | Sort-Object -Unique | Should -Be '/confluence/rest/api/audit'
        $requests | ForEach-Object { $_.Query['endDate'] | Should -Match '^\d+$' }
        $reference = Invoke-RestMethod -Uri "$($script:Old.BaseUri)/rest/api/audit?start=0&limit=1000&endDate=$($requests[0].Query['endDate'])" -Headers (@{ Authorization = $script:AdminHeader.Authorization })
        Compare-Sequence -Actual @($records | Get-RecordKey) -Expected @($reference.results | Get-WireRecordKey) | Should -BeNullOrEmpty

        Clear-ConfluenceAuditEmulatorRequest $script:Old
        $retention = Get-ConfluenceAuditRetention
        "$retention" | Should -Be '3 Months'
        Export-ConfluenceAudit -Path (Join-Path $TestDrive 'old.csv')
        $created = New-ConfluenceAuditRecord -RemoteAddress '10.0.0.7' -Summary 'Legacy create' -Confirm:$false
        $created.Summary | Should -Be 'Legacy create'
        $requests = Get-ApiRequest $script:Old
        $requests.Path | Should -Be '/confluence/rest/api/audit/retention', '/confluence/rest/api/audit/export', '/confluence/rest/api/audit'
        ($requests | Where-Object Method -EQ 'POST').AtlassianToken | Should -Be 'no-check'
    }
}

Describe 'One script for Cloud and Data Center' {
    BeforeAll {
        Reset-ConfluenceSession
        # Written once; it names no deployment, path or credential.
        $script:SameScript = {
            param([string] $Folder)
            $records = @(Get-ConfluenceAuditRecord -First 25 -PageSize 10)
            $records | Export-Csv -LiteralPath (Join-Path $Folder 'records.csv') -NoTypeInformation
            $file = Export-ConfluenceAudit -Path (Join-Path $Folder 'export.csv') -StartDate (Get-Date).AddDays(-3) -PassThru
            $retention = Get-ConfluenceAuditRetention
            Set-ConfluenceAuditRetention -Number 6 -Unit Months -WhatIf
            [pscustomobject]@{ Records = $records; File = $file; Retention = $retention }
        }
    }

    AfterEach { Reset-ConfluenceSession }

    It 'runs unchanged against <Deployment>' -ForEach @(
        @{ Deployment = 'Cloud' }
        @{ Deployment = 'DataCenter' }
    ) {
        $emulator = if ($Deployment -eq 'Cloud') { $script:Cloud } else { $script:Dc }
        Reset-ConfluenceAuditEmulator $emulator
        if ($Deployment -eq 'Cloud') { Connect-ConfluenceAudit -BaseUri $emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -Deployment Cloud }
        else { Connect-ConfluenceAudit -BaseUri $emulator.BaseUri -Token (Get-ConfluenceAuditEmulatorToken) }
        $folder = Join-Path $TestDrive $Deployment
        New-Item -ItemType Directory -Path $folder | Out-Null
        Clear-ConfluenceAuditEmulatorRequest $emulator

        $result = & $script:SameScript -Folder $folder

        (Get-ConfluenceAuditConnection).Deployment | Should -Be $Deployment
        $result.Records.Count | Should -Be 25
        $result.Records | ForEach-Object { $_ | Should -BeOfType ([ConfluenceAudit.Models.ConfluenceAuditRecord]) }
        $rows = @(Import-Csv -LiteralPath (Join-Path $folder 'records.csv'))
        $rows.Count | Should -Be 25
        foreach ($column in 'CreationDate', 'Category', 'Summary', 'Author', 'RemoteAddress', 'AffectedObject', 'ChangedValues', 'AssociatedObjects', 'ExtraAttributes') {
            $rows[0].PSObject.Properties.Name | Should -Contain $column
        }
        Get-Content -LiteralPath (Join-Path $folder 'records.csv') -Raw | Should -Not -Match 'System\.Object\[\]|ConfluenceAudit\.Models\.|System\.Collections'
        $result.File.Length | Should -BeGreaterThan 0
        @(Import-Csv -LiteralPath $result.File.FullName).Count | Should -BeGreaterThan 0
        $result.Retention | Should -BeOfType ([ConfluenceAudit.Models.ConfluenceAuditRetention])
        $result.Retention.Number | Should -BeGreaterThan 0
        @(Get-ApiRequest $emulator | Where-Object Method -NE 'GET').Count | Should -Be 0 -Because '-WhatIf changes nothing'
    }
}

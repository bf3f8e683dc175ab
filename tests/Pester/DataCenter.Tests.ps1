#Requires -Version 7.0
# Confluence Data Center against the emulator's Data Center mode (--deployment datacenter): connecting (context path,
# personal access tokens and Basic, a wrong token answered as anonymous, a space administrator), the auditing
# framework's events (cursor paging while events arrive, never following nextPageLink, the record mapping field by
# field, Data Center's own filters), retention as a period, the assembled CSV export, record creation through the
# legacy POST, Data Center before 7.5 (legacy resource only), and one script that runs unchanged against Cloud and
# Data Center. Expected results come from the emulator in one direct request (raw JSON, timestamps kept as text), so
# the module is never checked against itself.

BeforeAll {
    $script:Emulators = [System.Collections.Generic.List[object]]::new()
    $script:SavedEnvironment = $null
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    $script:SavedEnvironment = Save-ConfluenceEnvironment
    Reset-ConfluenceSession

    $script:Anchor = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
    $script:EventsPath = '/rest/auditing/1.0/events'
    $script:RetentionPath = '/rest/auditing/1.0/configuration/retention'
    $script:UserSpaceId = '98311'   # the space DOCS, which the emulator's non-administrator administers

    function Start-TestEmulator([string[]] $ArgumentList) {
        $emulator = Start-ConfluenceAuditEmulator -ArgumentList $ArgumentList
        $script:Emulators.Add($emulator)
        $emulator
    }

    function Start-DataCenterEmulator([string[]] $Extra = @(), [int] $Records = 600) {
        Start-TestEmulator (@('--deployment', 'datacenter', '--records', "$Records", '--seed', '11', '--anchor-ms', "$script:Anchor") + $Extra)
    }

    # The main Data Center emulator (9.x, context path /confluence, CSV capped at 100 rows a response) and a Cloud one.
    $script:Dc = Start-DataCenterEmulator -Extra '--dc-csv-cap', '100'
    $script:Cloud = Start-TestEmulator @('--records', '600', '--seed', '11', '--anchor-ms', "$script:Anchor")

    function ConvertTo-PlainText([securestring] $Secret) { [pscredential]::new('x', $Secret).GetNetworkCredential().Password }
    $script:AdminHeader = @{ Authorization = 'Bearer ' + (ConvertTo-PlainText (Get-ConfluenceAuditEmulatorToken)) }
    $script:XsrfHeader = @{ Authorization = $script:AdminHeader.Authorization; 'X-Atlassian-Token' = 'no-check' }

    function Connect-DataCenter($Emulator = $script:Dc, [string] $Account = 'Admin') {
        Connect-ConfluenceAudit -BaseUri $Emulator.BaseUri -Token (Get-ConfluenceAuditEmulatorToken -Account $Account) -PassThru
    }

    function Get-Prop($Object, [string] $Name) {
        # A member of a parsed JSON object, or $null when the server left it out (StrictMode forbids $o.missing).
        if ($null -eq $Object) { return $null }
        $p = $Object.PSObject.Properties[$Name]
        if ($p) { $p.Value } else { $null }
    }

    function Get-DcEntity {
        # Every event of a window, newest first, in ONE direct request: raw JSON, timestamps kept as text.
        param($Emulator = $script:Dc, [string] $To, [string] $From, [hashtable] $Filter = @{})
        $query = [System.Collections.Generic.List[string]]::new()
        $query.Add('limit=100000')
        if ($From) { $query.Add('from=' + [Uri]::EscapeDataString($From)) }
        if ($To) { $query.Add('to=' + [Uri]::EscapeDataString($To)) }
        foreach ($key in $Filter.Keys) { $query.Add($key + '=' + [Uri]::EscapeDataString($Filter[$key])) }
        $before = Get-ConfluenceAuditEmulatorConfig $Emulator
        Set-ConfluenceAuditEmulatorConfig $Emulator @{ dcMaxLimit = 100000 } | Out-Null
        try { $response = Invoke-WebRequest -Uri "$($Emulator.BaseUri)$script:EventsPath`?$($query -join '&')" -Headers $script:AdminHeader }
        finally { Set-ConfluenceAuditEmulatorConfig $Emulator @{ dcMaxLimit = $before.dcMaxLimit } | Out-Null }
        $page = $response.Content | ConvertFrom-Json -DateKind String -Depth 20
        if (-not $page.pagingInfo.lastPage) { throw 'The reference listing did not fit one page.' }
        @($page.entities)
    }

    function Get-DcCsv {
        # The CSV of a window in ONE direct response (the per-response cap raised for it), as text.
        param($Emulator = $script:Dc, [string] $To)
        $before = Get-ConfluenceAuditEmulatorConfig $Emulator
        Set-ConfluenceAuditEmulatorConfig $Emulator @{ dcCsvCap = 100000 } | Out-Null
        try {
            $uri = "$($Emulator.BaseUri)$script:EventsPath`?outputFormat=csv&limit=100000&to=$([Uri]::EscapeDataString($To))"
            $response = Invoke-WebRequest -Uri $uri -Headers $script:AdminHeader
            [System.Text.Encoding]::UTF8.GetString($response.RawContentStream.ToArray())
        }
        finally { Set-ConfluenceAuditEmulatorConfig $Emulator @{ dcCsvCap = $before.dcCsvCap } | Out-Null }
    }

    function ConvertTo-UtcText([string] $Timestamp) {
        [DateTimeOffset]::Parse($Timestamp, [Globalization.CultureInfo]::InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [Globalization.CultureInfo]::InvariantCulture)
    }

    function Get-DcRecordKey {
        # A record's content as one string (records have no id), from the module's properties.
        param([Parameter(Mandatory, ValueFromPipeline)] $Record)
        process {
            $objects = @(@($Record.AffectedObject) + @($Record.AssociatedObjects) | Where-Object { $_ -and -not $_.IsEmpty } |
                    ForEach-Object { '{0}/{1}/{2}/{3}' -f $_.Name, $_.ObjectType, $_.Id, $_.Uri }) -join ';'
            $changes = @($Record.ChangedValues | ForEach-Object { '{0}={1}>{2}' -f $_.Name, $_.OldValue, $_.NewValue }) -join ';'
            $extras = @($Record.ExtraAttributes | ForEach-Object { '{0}[{1}]={2}' -f $_.Name, $_.NameKey, $_.Value }) -join ';'
            $author = if ($Record.Author) { '{0}/{1}' -f $Record.Author.DisplayName, $Record.Author.AccountId } else { '/' }
            @($Record.CreationDateUtc, $Record.Category, $Record.CategoryKey, $Record.Summary, $Record.ActionKey, $author,
                $Record.RemoteAddress, $Record.Method, $Record.Node, $objects, $changes, $extras) -join ' | '
        }
    }

    function Get-DcEntityKey {
        # The same key from the raw event.
        param([Parameter(Mandatory, ValueFromPipeline)] $Entity)
        process {
            $objects = @($Entity.affectedObjects | ForEach-Object { '{0}/{1}/{2}/{3}' -f $_.name, $_.type, (Get-Prop $_ 'id'), (Get-Prop $_ 'uri') }) -join ';'
            $changes = @($Entity.changedValues | ForEach-Object { '{0}={1}>{2}' -f $_.key, (Get-Prop $_ 'from'), (Get-Prop $_ 'to') }) -join ';'
            $extras = @($Entity.extraAttributes | ForEach-Object { '{0}[{1}]={2}' -f $_.name, $_.nameI18nKey, $_.value }) -join ';'
            $author = '{0}/{1}' -f $Entity.author.name, (Get-Prop $Entity.author 'id')
            @((ConvertTo-UtcText $Entity.timestamp), $Entity.type.category, $Entity.type.categoryI18nKey, $Entity.type.action, $Entity.type.actionI18nKey,
                $author, (Get-Prop $Entity 'source'), $Entity.method, (Get-Prop $Entity 'node'), $objects, $changes, $extras) -join ' | '
        }
    }

    function Get-PinnedEnd($Requests) {
        # The end of the window the module pinned when the command started (the same on every request).
        $ends = @($Requests | ForEach-Object { $_.Query['to'] } | Sort-Object -Unique)
        if ($ends.Count -ne 1) { throw "Expected one pinned 'to', got: $($ends -join ', ')" }
        $ends[0]
    }

    function Get-CsvRowKey {
        # One CSV row (from Import-Csv / ConvertFrom-Csv) as one string.
        param([Parameter(Mandatory, ValueFromPipeline)] $Row)
        process { @($Row.PSObject.Properties | ForEach-Object { $_.Value }) -join ' | ' }
    }

    function Test-SearchRow($Row, [string] $At) {
        # A row of an "Audit Log search performed" event (dated in the millisecond $At, when given).
        $Row.Action -eq 'Audit Log search performed' -and (-not $At -or (ConvertTo-UtcText $Row.Date) -eq (ConvertTo-UtcText $At))
    }

    function Remove-BoundarySearch([object[]] $Keys, [string] $To) {
        # An "Audit Log search performed" event dated in the very millisecond the window ends was added by the listing's
        # own first request: it exists only after the listing started, so it is left out of both sides.
        $boundary = (ConvertTo-UtcText $To) + ' | '
        @($Keys | Where-Object { -not ($_.StartsWith($boundary, [StringComparison]::Ordinal) -and $_.Contains('Audit Log search performed')) })
    }
}

AfterAll {
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    foreach ($emulator in $script:Emulators) { $emulator | Stop-ConfluenceAuditEmulator }
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

Describe 'Get-ConfluenceAuditRecord on Data Center' {
    BeforeAll { Reset-ConfluenceSession }

    BeforeEach {
        Reset-ConfluenceAuditEmulator $script:Dc
        Connect-DataCenter | Out-Null
        Clear-ConfluenceAuditEmulatorRequest $script:Dc
    }

    AfterEach {
        Clear-ConfluenceAuditEmulatorFault -Emulator $script:Dc
        Reset-ConfluenceSession
    }

    It 'maps every event field by field onto the record (against the raw entity)' {
        $records = @(Get-ConfluenceAuditRecord -PageSize 250)
        $to = ConvertTo-UtcText (Get-PinnedEnd (Get-ApiRequest $script:Dc))
        # Not the listing's to hold: a read's own event dated in the very millisecond the window ends (see Remove-BoundarySearch).
        $records = @($records | Where-Object { -not ($_.CreationDateUtc -eq $to -and $_.Summary -eq 'Audit Log search performed') })
        $entities = @(Get-DcEntity -To $to | Where-Object { -not ((ConvertTo-UtcText $_.timestamp) -eq $to -and $_.type.action -eq 'Audit Log search performed') })

        $records.Count | Should -Be $entities.Count
        $problems = [System.Collections.Generic.List[string]]::new()
        function Check([string] $What, $Actual, $Expected) {
            if ("$Actual" -cne "$Expected") { $problems.Add("$What`: expected '$Expected', got '$Actual'") }
        }
        function CheckObject([string] $What, $Actual, $Wire) {
            Check "$What.Name" $Actual.Name $Wire.name
            Check "$What.ObjectType" $Actual.ObjectType $Wire.type
            Check "$What.Id" $Actual.Id (Get-Prop $Wire 'id')
            Check "$What.Uri" $Actual.Uri (Get-Prop $Wire 'uri')
        }
        for ($i = 0; $i -lt $records.Count -and $problems.Count -lt 10; $i++) {
            $r = $records[$i]; $e = $entities[$i]; $at = "event $i"
            $r | Should -BeOfType ([ConfluenceAudit.Models.ConfluenceAuditRecord])
            Check "$at CreationDate" $r.CreationDate.ToUnixTimeMilliseconds() ([DateTimeOffset]::Parse($e.timestamp, [Globalization.CultureInfo]::InvariantCulture).ToUnixTimeMilliseconds())
            Check "$at CreationDateUtc" $r.CreationDateUtc (ConvertTo-UtcText $e.timestamp)
            Check "$at Summary" $r.Summary $e.type.action
            Check "$at ActionKey" $r.ActionKey $e.type.actionI18nKey
            Check "$at Category" $r.Category $e.type.category
            Check "$at CategoryKey" $r.CategoryKey $e.type.categoryI18nKey
            Check "$at RemoteAddress" $r.RemoteAddress (Get-Prop $e 'source')
            Check "$at Author.DisplayName" $r.Author.DisplayName $e.author.name
            Check "$at Author.AccountId" $r.Author.AccountId (Get-Prop $e.author 'id')
            Check "$at Author.Type" $r.Author.Type $e.author.type
            Check "$at Method" $r.Method $e.method
            Check "$at Node" $r.Node (Get-Prop $e 'node')
            $objects = @($e.affectedObjects)
            if ($objects.Count -eq 0) {
                if ($r.AffectedObject -and -not $r.AffectedObject.IsEmpty) { $problems.Add("$at AffectedObject: expected none, got '$($r.AffectedObject)'") }
            }
            else { CheckObject "$at AffectedObject" $r.AffectedObject $objects[0] }
            Check "$at AssociatedObjects.Count" @($r.AssociatedObjects).Count ([Math]::Max(0, $objects.Count - 1))
            for ($k = 1; $k -lt $objects.Count; $k++) { CheckObject "$at AssociatedObjects[$($k - 1)]" @($r.AssociatedObjects)[$k - 1] $objects[$k] }
            $changes = @($e.changedValues)
            Check "$at ChangedValues.Count" @($r.ChangedValues).Count $changes.Count
            for ($k = 0; $k -lt $changes.Count; $k++) {
                $c = @($r.ChangedValues)[$k]
                Check "$at ChangedValues[$k].Name" $c.Name $changes[$k].key
                Check "$at ChangedValues[$k].OldValue" $c.OldValue (Get-Prop $changes[$k] 'from')
                Check "$at ChangedValues[$k].NewValue" $c.NewValue (Get-Prop $changes[$k] 'to')
            }
            $extras = @($e.extraAttributes)
            Check "$at ExtraAttributes.Count" @($r.ExtraAttributes).Count $extras.Count
            for ($k = 0; $k -lt $extras.Count; $k++) {
                $x = @($r.ExtraAttributes)[$k]
                Check "$at ExtraAttributes[$k].Name" $x.Name $extras[$k].name
                Check "$at ExtraAttributes[$k].NameKey" $x.NameKey $extras[$k].nameI18nKey
                Check "$at ExtraAttributes[$k].Value" $x.Value $extras[$k].value
            }
        }
        $problems | Select-Object -First 10 | Should -BeNullOrEmpty

        # The sample holds every awkward case the mapping has to survive.
        @($entities | Where-Object { -not $_.PSObject.Properties['node'] }).Count | Should -BeGreaterThan 0 -Because 'some events have no node'
        @($entities | Where-Object { $null -eq (Get-Prop $_ 'source') }).Count | Should -BeGreaterThan 0 -Because 'some sources are null'
        @($entities | Where-Object { -not $_.author.PSObject.Properties['id'] }).Count | Should -BeGreaterThan 0 -Because 'system authors have no id'
        @($entities.affectedObjects | Where-Object { -not $_.PSObject.Properties['id'] }).Count | Should -BeGreaterThan 0 -Because 'groups have no id'
        @($entities.changedValues | Where-Object { -not $_.PSObject.Properties['from'] }).Count | Should -BeGreaterThan 0
        @($entities.changedValues | Where-Object { -not $_.PSObject.Properties['to'] }).Count | Should -BeGreaterThan 0
        @($entities | Where-Object { $_.timestamp -match ':\d\dZ$' }).Count | Should -BeGreaterThan 0 -Because 'some timestamps fall on a whole second (no fraction)'
        @($entities | Where-Object { @($_.extraAttributes).Count -gt 0 }).Count | Should -BeGreaterThan 0
    }

    It 'pages with the cursor given as <Form>, never by nextPageLink, and returns exactly the window' -ForEach @(
        @{ Form = 'a string'; CursorObject = $false }
        @{ Form = 'an object'; CursorObject = $true }
    ) {
        Set-ConfluenceAuditEmulatorConfig $script:Dc @{ dcCursorObject = $CursorObject; dcMaxLimit = 60 } | Out-Null

        $records = @(Get-ConfluenceAuditRecord -PageSize 100)
        $requests = Get-ApiRequest $script:Dc
        $to = Get-PinnedEnd $requests
        $expected = Remove-BoundarySearch @(Get-DcEntity -To $to | Get-DcEntityKey) $to

        Compare-Sequence -Actual (Remove-BoundarySearch @($records | Get-DcRecordKey) $to) -Expected $expected | Should -BeNullOrEmpty
        $requests.Count | Should -BeGreaterOrEqual 10 -Because '600 events in pages the server caps at 60'
        $requests | ForEach-Object { $_.Path | Should -Be "/confluence$script:EventsPath"; $_.Status | Should -Be 200 }
        $requests[0].Query.ContainsKey('pageCursor') | Should -BeFalse
        $to | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$'
        for ($k = 1; $k -lt $requests.Count; $k++) {
            # Each next page starts from the cursor of the previous one: the instant of the previous page's last event.
            $cursor = $requests[$k].Query['pageCursor']
            $cursor | Should -Match '^\d+,\d+$'
            $lastOfPrevious = $records[(60 * $k) - 1]
            [long]($cursor -split ',')[0] | Should -Be $lastOfPrevious.CreationDate.ToUnixTimeMilliseconds()
            $requests[$k].Query.ContainsKey('offset') | Should -BeFalse
        }
        # nextPageLink points at https://wiki.example.com (not reachable from here): following it would have failed.
        $requests.RawQuery | Where-Object { $_ -match 'example\.com' } | Should -BeNullOrEmpty
    }

    It 'returns each event of the window exactly once while events arrive' {
        Set-ConfluenceAuditEmulatorConfig $script:Dc @{ latencyMs = 60; dcMaxLimit = 40 } | Out-Null
        $job = Start-ThreadJob -ArgumentList $script:Dc.Url -ScriptBlock {
            param($url)
            $inserted = 0
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            foreach ($after in 3, 6, 9) {
                do {
                    Start-Sleep -Milliseconds 20
                    $seen = @(Invoke-RestMethod -Uri "$url/__emulator/requests" | ForEach-Object { $_ }).Count
                } while ($seen -lt $after -and [DateTime]::UtcNow -lt $deadline)
                $inserted += 25
                Invoke-RestMethod -Method Post -Uri "$url/__emulator/records?count=25" | Out-Null
            }
            $inserted
        }
        try {
            $records = @(Get-ConfluenceAuditRecord -PageSize 40)
            $inserted = $job | Wait-Job -Timeout 40 | Receive-Job
        }
        finally { $job | Remove-Job -Force }
        $requests = Get-ApiRequest $script:Dc
        $to = Get-PinnedEnd $requests
        $expected = Remove-BoundarySearch @(Get-DcEntity -To $to | Get-DcEntityKey) $to
        $actual = Remove-BoundarySearch @($records | Get-DcRecordKey) $to

        $inserted | Should -Be 75
        $requests.Count | Should -BeGreaterThan 10 -Because 'the events must arrive in the middle of the listing'
        $counts = @{}
        foreach ($key in $expected) { $counts[$key] = 1 + [int]$counts[$key] }
        $extra = @($actual | Group-Object | Where-Object { $_.Count -gt [int]$counts[$_.Name] } | ForEach-Object { "$($_.Count)x $($_.Name)" })
        $extra | Select-Object -First 3 | Should -BeNullOrEmpty -Because 'no event may come out twice (or come from outside the window)'
        Compare-Sequence -Actual $actual -Expected $expected | Should -BeNullOrEmpty
    }

    It 'reports a cursor that does not advance' {
        Set-ConfluenceAuditEmulatorConfig $script:Dc @{ dcMaxLimit = 20 } | Out-Null
        Set-ConfluenceAuditEmulatorFault -Emulator $script:Dc -Settings @{ IgnoreStart = $true } | Out-Null

        $err = Invoke-Captured { Get-ConfluenceAuditRecord -PageSize 20 -ErrorAction Stop }

        $err.FullyQualifiedErrorId | Should -BeLike 'ConfluencePagingStalled*'
        (Get-ApiRequest $script:Dc).Count | Should -BeLessOrEqual 5
    }

    It 'sends -StartDate and -EndDate as ISO 8601 UTC with Z to the millisecond, URL-encoded, and no /since for -Last/-Unit' {
        $start = (Get-Date).AddDays(-20)
        $end = (Get-Date).AddDays(-2)
        $records = @(Get-ConfluenceAuditRecord -StartDate $start -EndDate $end)
        $iso = { param($d) $d.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [Globalization.CultureInfo]::InvariantCulture) }
        $request = (Get-ApiRequest $script:Dc)[0]
        $request.RawQuery | Should -BeLike "*from=$([Uri]::EscapeDataString((& $iso $start)))*"
        $request.RawQuery | Should -BeLike "*to=$([Uri]::EscapeDataString((& $iso $end)))*"
        Compare-Sequence -Actual @($records | Get-DcRecordKey) -Expected @(Get-DcEntity -From (& $iso $start) -To (& $iso $end) | Get-DcEntityKey) | Should -BeNullOrEmpty

        Clear-ConfluenceAuditEmulatorRequest $script:Dc
        $before = Get-Date
        $recent = @(Get-ConfluenceAuditRecord -Last 7 -Unit Days)
        $requests = Get-ApiRequest $script:Dc
        $requests.Path | Sort-Object -Unique | Should -Be "/confluence$script:EventsPath"
        $from = [DateTimeOffset]::Parse($requests[0].Query['from'], [Globalization.CultureInfo]::InvariantCulture)
        ($from - $before.AddDays(-7)).Duration().TotalSeconds | Should -BeLessThan 30
        $to = Get-PinnedEnd $requests
        $expected = Remove-BoundarySearch @(Get-DcEntity -From $requests[0].Query['from'] -To $to | Get-DcEntityKey) $to
        Compare-Sequence -Actual (Remove-BoundarySearch @($recent | Get-DcRecordKey) $to) -Expected $expected | Should -BeNullOrEmpty
    }

    It '-Skip and -First keep their meaning' {
        # A fixed end in the past: both listings see the same window, whatever their own reads add to the log.
        $end = (Get-Date).AddSeconds(-1)
        $all = @(Get-ConfluenceAuditRecord -PageSize 1000 -EndDate $end)
        Clear-ConfluenceAuditEmulatorRequest $script:Dc
        $some = @(Get-ConfluenceAuditRecord -Skip 5 -First 70 -PageSize 30 -EndDate $end)

        Compare-Sequence -Actual @($some | Get-DcRecordKey) -Expected @($all | Select-Object -Skip 5 -First 70 | Get-DcRecordKey) | Should -BeNullOrEmpty
        $requests = Get-ApiRequest $script:Dc
        $requests | ForEach-Object { [int]$_.Query['limit'] | Should -BeLessOrEqual 30 }
        $requests[0].Query['offset'] | Should -Be '5'
        $requests | Select-Object -Skip 1 | ForEach-Object { $_.Query.ContainsKey('pageCursor') | Should -BeTrue }
    }

    It 'sends Data Center filters as the server names them: <Name>' -ForEach @(
        @{ Name = '-Action, two of them'; Parameters = @{ Action = 'Page deleted', 'Space created' }; Query = 'actions'; Value = 'Page deleted,Space created' }
        @{ Name = '-AuthorId'; Parameters = @{ AuthorId = '8a7f80855b10ac8d82e05b22cc7d4ef5' }; Query = 'userIds'; Value = '8a7f80855b10ac8d82e05b22cc7d4ef5' }
        @{ Name = '-AffectedObject, two spaces'; Parameters = @{ AffectedObject = 'space,98306', 'space,98307' }; Query = 'affectedObject'; Value = 'space,98306;space,98307' }
        @{ Name = '-Category'; Parameters = @{ Category = 'Security' }; Query = 'categories'; Value = 'Security' }
    ) {
        $records = @(Get-ConfluenceAuditRecord @Parameters -PageSize 50)
        $requests = Get-ApiRequest $script:Dc
        $requests | ForEach-Object { $_.Query[$Query] | Should -BeExactly $Value }
        $expected = Get-DcEntity -To (Get-PinnedEnd $requests) -Filter @{ $Query = $Value }

        $expected.Count | Should -BeGreaterThan 0
        Compare-Sequence -Actual @($records | Get-DcRecordKey) -Expected @($expected | Get-DcEntityKey) | Should -BeNullOrEmpty
    }

    It 'passes a failed search (500 with a plain-text body) on as an error, without retrying it' {
        Set-ConfluenceAuditEmulatorConfig $script:Dc @{ dcSearchTimeout = $true } | Out-Null
        $err = Invoke-Captured { Get-ConfluenceAuditRecord -SearchString 'Space' -ErrorAction Stop }
        $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $err.Exception.Message | Should -Match 'timed out'
        (Get-ApiRequest $script:Dc).Count | Should -Be 1
    }
}

Describe 'Localised names on Data Center' {
    BeforeAll {
        Reset-ConfluenceSession
        $script:German = Start-DataCenterEmulator -Records 300 -Extra '--language', 'de'
        Connect-DataCenter $script:German | Out-Null
    }

    AfterAll { Reset-ConfluenceSession }

    BeforeEach { Clear-ConfluenceAuditEmulatorRequest $script:German }

    It 'sends -Category exactly as given (the server''s German names) and keeps the language-independent keys' {
        $records = @(Get-ConfluenceAuditRecord -Category 'Berechtigungen', 'Benutzer und Gruppen' -PageSize 40)
        $requests = Get-ApiRequest $script:German
        $requests | ForEach-Object { $_.Query['categories'] | Should -BeExactly 'Berechtigungen,Benutzer und Gruppen' }
        $expected = Get-DcEntity -Emulator $script:German -To (Get-PinnedEnd $requests) -Filter @{ categories = 'Berechtigungen,Benutzer und Gruppen' }

        $records.Count | Should -BeGreaterThan 40
        Compare-Sequence -Actual @($records | Get-DcRecordKey) -Expected @($expected | Get-DcEntityKey) | Should -BeNullOrEmpty
        $records.Category | Sort-Object -Unique | Should -Be 'Benutzer und Gruppen', 'Berechtigungen'
        $records.CategoryKey | Sort-Object -Unique | Should -Be 'audit.logging.category.permissions', 'audit.logging.category.users.and.groups'
        @(Get-ConfluenceAuditRecord -Category 'Permissions').Count | Should -Be 0 -Because 'the server matches its own (German) names'
    }
}

Describe 'Data Center filters where there are none' {
    BeforeAll {
        Reset-ConfluenceSession
        $script:Legacy = Start-DataCenterEmulator -Records 300 -Extra '--dc-version', '7.4'
    }

    AfterEach { Reset-ConfluenceSession }

    It 'refuses -<Name> on Cloud with a clear error before any request' -ForEach @(
        @{ Name = 'Category'; Parameters = @{ Category = 'Permissions' } }
        @{ Name = 'Action'; Parameters = @{ Action = 'Page deleted' } }
        @{ Name = 'AuthorId'; Parameters = @{ AuthorId = '5b10ac8d82e05b22cc7d4ef5' } }
        @{ Name = 'AffectedObject'; Parameters = @{ AffectedObject = 'space,98306' } }
    ) {
        Connect-ConfluenceAudit -BaseUri $script:Cloud.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential)
        Clear-ConfluenceAuditEmulatorRequest $script:Cloud

        $err = Invoke-Captured { Get-ConfluenceAuditRecord @Parameters -ErrorAction Stop }

        $err.FullyQualifiedErrorId | Should -BeLike 'DataCenterFilterNotSupported*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match $Name
        @(Get-ApiRequest $script:Cloud).Count | Should -Be 0
    }

    It 'refuses them on Data Center 7.4, whose legacy resource has no such filters' {
        Connect-DataCenter $script:Legacy | Out-Null
        Clear-ConfluenceAuditEmulatorRequest $script:Legacy

        $err = Invoke-Captured { Get-ConfluenceAuditRecord -Category 'Permissions' -ErrorAction Stop }

        $err.FullyQualifiedErrorId | Should -BeLike 'DataCenterFilterNotSupported*'
        @(Get-ApiRequest $script:Legacy).Count | Should -Be 0
    }
}

Describe 'Retention on Data Center' {
    BeforeAll { Reset-ConfluenceSession }

    BeforeEach {
        Reset-ConfluenceAuditEmulator $script:Dc
        Connect-DataCenter | Out-Null
        Clear-ConfluenceAuditEmulatorRequest $script:Dc
    }

    AfterEach { Reset-ConfluenceSession }

    It 'reads the period <Json> as <Number> <Units>' -ForEach @(
        @{ Json = '{"period":{"months":3}}'; Number = 3; Units = 'Months'; Years = 0; Months = 3; Days = 0 }
        @{ Json = '{"period":{"years":1,"months":6}}'; Number = 18; Units = 'Months'; Years = 1; Months = 6; Days = 0 }
        @{ Json = '{"period":{"years":2}}'; Number = 2; Units = 'Years'; Years = 2; Months = 0; Days = 0 }
        @{ Json = '{"period":{"years":1,"days":10}}'; Number = 375; Units = 'Days'; Years = 1; Months = 0; Days = 10 }
    ) {
        Invoke-RestMethod -Method Put -Uri "$($script:Dc.BaseUri)$script:RetentionPath" -Headers $script:XsrfHeader -ContentType 'application/json' -Body $Json | Out-Null
        Clear-ConfluenceAuditEmulatorRequest $script:Dc

        $retention = Get-ConfluenceAuditRetention

        $retention | Should -BeOfType ([ConfluenceAudit.Models.ConfluenceAuditRetention])
        $retention.Number | Should -Be $Number
        "$($retention.Units)" | Should -Be $Units
        $retention.Period.Years | Should -Be $Years
        $retention.Period.Months | Should -Be $Months
        $retention.Period.Days | Should -Be $Days
        (Get-ApiRequest $script:Dc).Path | Should -Be "/confluence$script:RetentionPath"
    }

    It 'sets -Number <Number> -Unit <Unit> as the period {years:<Years>, months:<Months>, days:<Days>} with X-Atlassian-Token' -ForEach @(
        @{ Number = 45; Unit = 'Days'; Years = 0; Months = 0; Days = 45 }
        @{ Number = 2; Unit = 'Weeks'; Years = 0; Months = 0; Days = 14 }
        @{ Number = 4; Unit = 'Months'; Years = 0; Months = 4; Days = 0 }
        @{ Number = 3; Unit = 'Years'; Years = 3; Months = 0; Days = 0 }
    ) {
        $updated = Set-ConfluenceAuditRetention -Number $Number -Unit $Unit -Force -Confirm:$false -PassThru

        $put = @(Get-ApiRequest $script:Dc | Where-Object Method -EQ 'PUT')
        $put.Count | Should -Be 1
        $put[0].Path | Should -Be "/confluence$script:RetentionPath"
        $put[0].Status | Should -Be 200
        $put[0].AtlassianToken | Should -Be 'no-check'
        $period = ($put[0].Body | ConvertFrom-Json).period
        [int](Get-Prop $period 'years') | Should -Be $Years
        [int](Get-Prop $period 'months') | Should -Be $Months
        [int](Get-Prop $period 'days') | Should -Be $Days
        $updated.Period.Years | Should -Be $Years
        $updated.Period.Months | Should -Be $Months
        $updated.Period.Days | Should -Be $Days
    }

    It 'refuses -Unit Hours with a clear error before any request' {
        $err = Invoke-Captured { Set-ConfluenceAuditRetention -Number 12 -Unit Hours -Force -Confirm:$false -ErrorAction Stop }

        $err.FullyQualifiedErrorId | Should -BeLike 'RetentionUnitNotSupported*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-ApiRequest $script:Dc).Count | Should -Be 0
    }
}

Describe 'Export-ConfluenceAudit on Data Center' {
    BeforeAll { Reset-ConfluenceSession }

    BeforeEach {
        Reset-ConfluenceAuditEmulator $script:Dc
        Connect-DataCenter | Out-Null
        Clear-ConfluenceAuditEmulatorRequest $script:Dc
    }

    AfterEach { Reset-ConfluenceSession }

    It 'assembles the capped CSV responses into one file: one header row, nothing lost or repeated, ending on a response with nothing new' {
        $path = Join-Path $TestDrive 'dc-export.csv'
        Export-ConfluenceAudit -Path $path

        $requests = Get-ApiRequest $script:Dc
        $to = Get-PinnedEnd $requests
        $rows = (Get-DcEntity -To $to).Count
        $requests | ForEach-Object { $_.Query['outputFormat'] | Should -Be 'csv'; $_.Path | Should -Be "/confluence$script:EventsPath" }
        # Responses of at most 100 rows each. Each response after the first starts at the last row written (the server
        # audits every read, and such an event may push the rows along), so the offsets move by what came less one,
        # and the export ends on a response that brings nothing after that row, never on a short one.
        $expectedOffsets = @(
            $o = 0
            while ($true) {
                $o
                $count = [Math]::Min(100, $rows - $o)
                if ($count -le 1) { break }
                $o += $count - 1
            })
        $rows | Should -BeGreaterThan 300
        Compare-Sequence -Actual @($requests | ForEach-Object { [int]$_.Query['offset'] }) -Expected $expectedOffsets | Should -BeNullOrEmpty

        $reference = Get-DcCsv -To $to
        $text = [System.IO.File]::ReadAllText($path)
        $header = ($reference -split "`r`n")[0]
        @([regex]::Matches($text, '(?m)^' + [regex]::Escape($header) + '\r?$')).Count | Should -Be 1 -Because 'the header row is written once'
        # An event the export's own first read added in the very millisecond the window ends is not the export's to
        # hold (it arrived after the command started); anything else must be there exactly once, in order.
        $expected = @($reference | ConvertFrom-Csv | Where-Object { -not (Test-SearchRow $_ $to) })
        Compare-Sequence -Actual @(Import-Csv -LiteralPath $path | Get-CsvRowKey) -Expected @($expected | Get-CsvRowKey) | Should -BeNullOrEmpty
        if ($expected.Count -eq $rows) { $text | Should -BeExactly $reference -Because 'the assembled file is what one uncapped response holds' }
    }

    It 'repeats nothing when the server''s clock runs behind this machine''s (each read''s own audit event lands inside the window)' {
        # Every read of the log adds an event stamped with the server's time. With that clock 1.5 s behind, the event of
        # each CSV response falls inside the window pinned by this machine's clock, at its newest end: paging by
        # offset then moves by one row per response, a row of each page boundary would come twice, and the export
        # would not end before the server's clock passes the window's end (one request per row meanwhile).
        Set-ConfluenceAuditEmulatorConfig $script:Dc @{ clockOffsetMs = -1500 } | Out-Null
        $path = Join-Path $TestDrive 'dc-export-skew.csv'
        Export-ConfluenceAudit -Path $path

        $requests = Get-ApiRequest $script:Dc
        $requests.Count | Should -BeGreaterOrEqual 7
        $reference = Get-DcCsv -To (Get-PinnedEnd $requests)
        $expected = @($reference | ConvertFrom-Csv | Where-Object { -not (Test-SearchRow $_) } | Get-CsvRowKey)
        $actual = @(Import-Csv -LiteralPath $path | Where-Object { -not (Test-SearchRow $_) } | Get-CsvRowKey)
        Compare-Sequence -Actual $actual -Expected $expected | Should -BeNullOrEmpty -Because 'every event of the window comes once, in order'
        $requests.Count | Should -BeLessOrEqual 12 -Because "600 rows in responses of 100 take 7 requests, not one per row"
    }

    It 'lists every event once by cursor even when the server''s clock runs behind' {
        Set-ConfluenceAuditEmulatorConfig $script:Dc @{ clockOffsetMs = -1500; dcMaxLimit = 60 } | Out-Null
        $records = @(Get-ConfluenceAuditRecord -PageSize 100)

        $requests = Get-ApiRequest $script:Dc
        $requests.Count | Should -BeGreaterOrEqual 10
        $expected = @(Get-DcEntity -To (Get-PinnedEnd $requests) | Where-Object { $_.type.action -ne 'Audit Log search performed' } | Get-DcEntityKey)
        Compare-Sequence -Actual @($records | Where-Object Summary -NE 'Audit Log search performed' | Get-DcRecordKey) -Expected $expected | Should -BeNullOrEmpty
    }

    It 'compresses the assembled CSV locally for -Format Zip' {
        $path = Join-Path $TestDrive 'dc-export.zip'
        Export-ConfluenceAudit -Path $path -Format Zip

        $requests = Get-ApiRequest $script:Dc
        $requests | ForEach-Object { $_.Query['outputFormat'] | Should -Be 'csv'; $_.Query.ContainsKey('format') | Should -BeFalse }
        $archive = [System.IO.Compression.ZipFile]::OpenRead($path)
        try {
            @($archive.Entries).Count | Should -Be 1
            $reader = [System.IO.StreamReader]::new($archive.Entries[0].Open())
            try { $inside = $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $archive.Dispose() }

        # The server audits every read, the export's own reads included: an "Audit Log search performed" event may or
        # may not fall inside the window depending on the millisecond, so the comparison leaves those rows out.
        $reference = Get-DcCsv -To (Get-PinnedEnd $requests)
        $expected = @($reference | ConvertFrom-Csv | Where-Object { -not (Test-SearchRow $_) } | Get-CsvRowKey)
        $actual = @($inside | ConvertFrom-Csv | Where-Object { -not (Test-SearchRow $_) } | Get-CsvRowKey)
        $expected.Count | Should -BeGreaterThan 0
        Compare-Sequence -Actual $actual -Expected $expected | Should -BeNullOrEmpty
        ($inside -split "`r`n")[0] | Should -BeExactly (($reference -split "`r`n")[0]) -Because 'the header row is the server''s'
    }
}

Describe 'New-ConfluenceAuditRecord on Data Center' {
    BeforeAll { Reset-ConfluenceSession }

    BeforeEach {
        Reset-ConfluenceAuditEmulator $script:Dc
        Connect-DataCenter | Out-Null
        Clear-ConfluenceAuditEmulatorRequest $script:Dc
    }

    AfterEach { Reset-ConfluenceSession }

    It 'says clearly that a 9.x server cannot create records (its legacy POST answers 405)' {
        $err = Invoke-Captured { New-ConfluenceAuditRecord -RemoteAddress '10.0.0.9' -Summary 'Emulator test' -Confirm:$false -ErrorAction Stop }

        $err.FullyQualifiedErrorId | Should -BeLike 'AuditRecordCreationNotSupported*'
        $requests = @(Get-ApiRequest $script:Dc)
        $requests.Count | Should -Be 1 -Because 'a POST is never retried'
        $requests[0].Method | Should -Be 'POST'
        $requests[0].Path | Should -Be '/confluence/rest/api/audit'
    }

    It 'creates the record through the legacy POST where the server accepts it, with X-Atlassian-Token' {
        Set-ConfluenceAuditEmulatorConfig $script:Dc @{ dcLegacyPost = $true } | Out-Null
        $summary = 'Created by DataCenter.Tests ' + [guid]::NewGuid().ToString('N')

        $created = New-ConfluenceAuditRecord -RemoteAddress '10.0.0.9' -Summary $summary -Category 'Testing' -Confirm:$false

        $created.Summary | Should -Be $summary
        $post = @(Get-ApiRequest $script:Dc | Where-Object Method -EQ 'POST')
        $post.Count | Should -Be 1
        $post[0].Status | Should -Be 200
        $post[0].AtlassianToken | Should -Be 'no-check'
        @(Get-ConfluenceAuditRecord -Action $summary).Count | Should -Be 1 -Because 'the framework lists the record'
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

Describe 'Incremental pulls on Data Center' {
    BeforeAll { Reset-ConfluenceSession }

    BeforeEach {
        Reset-ConfluenceAuditEmulator $script:Dc
        Connect-DataCenter | Out-Null
    }

    AfterEach { Reset-ConfluenceSession }

    It 'delivers each event once across runs, oldest first, through the auditing framework' {
        $checkpoint = Join-Path $TestDrive 'dc.checkpoint'
        $first = @(Get-ConfluenceAuditRecord -CheckpointPath $checkpoint -StartDate (Get-Date).AddDays(-400))
        $first.Count | Should -BeGreaterThan 100
        for ($i = 1; $i -lt $first.Count; $i++) {
            if ($first[$i].CreationDate -lt $first[$i - 1].CreationDate) { throw "Record $i is older than record $($i - 1): not oldest first." }
        }

        Add-ConfluenceAuditEmulatorRecord -Emulator $script:Dc -Count 5 | Out-Null
        Start-Sleep -Milliseconds 20
        $second = @(Get-ConfluenceAuditRecord -CheckpointPath $checkpoint)
        $third = @(Get-ConfluenceAuditRecord -CheckpointPath $checkpoint)

        # Every read of the log is itself audited on Data Center, so later runs also bring the "Audit Log search
        # performed" events of the runs before them; the five inserted events come exactly once, and nothing repeats.
        $key = { '{0}|{1}|{2}|{3}' -f $_.CreationDateUtc, $_.Summary, $_.Author.AccountId, $_.ActionKey }
        $seen = @($first | ForEach-Object $key)
        @($second | ForEach-Object $key | Where-Object { $_ -in $seen }) | Should -BeNullOrEmpty -Because 'nothing delivered by the first run comes again'
        @($third | ForEach-Object $key | Where-Object { $_ -in @($seen) + @($second | ForEach-Object $key) }) | Should -BeNullOrEmpty
        @($second | Where-Object { $_.Summary -ne 'Audit Log search performed' }).Count | Should -Be 5 -Because 'the five inserted events arrive in the next run'
        @($second + $third | Where-Object { $_.Summary -eq 'Audit Log search performed' }).Count | Should -BeGreaterThan 0
        @(Get-ConfluenceAuditEmulatorRequest $script:Dc).path | Where-Object { $_ -like '*/rest/api/audit*' } | Should -BeNullOrEmpty -Because 'the framework is read, not the older resource'
    }
}

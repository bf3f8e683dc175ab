#Requires -Version 7.0
# New-ConfluenceAuditRecord against the emulator: the body it sends (checked on the emulator's request log), what it
# refuses before any request, records piped from Get-ConfluenceAuditRecord (copying between two sites), the CSV round
# trip, and what a failure says about whether the record was created.

BeforeAll {
    $script:Emulator = $null
    $script:Other = $null
    $script:SavedEnvironment = $null
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-TestModules
    $script:SavedEnvironment = Save-ConfluenceEnvironment
    Reset-ConfluenceSession

    # A: seeded records, retention 3 MONTHS (the default). B: empty, retention 2 WEEKS; the target of copies.
    $script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '300', '--seed', '11'
    $script:Other = Start-ConfluenceAuditEmulator -ArgumentList '--records', '0', '--retention-number', '2', '--retention-units', 'WEEKS'
    $credential = Get-ConfluenceAuditEmulatorCredential
    $script:B = Connect-ConfluenceAudit -BaseUri $script:Other.BaseUri -Credential $credential -PassThru
    $script:A = Connect-ConfluenceAudit -BaseUri $script:Emulator.BaseUri -Credential $credential -PassThru

    function Get-FullRecordKey {
        # Every field a created record can carry, creation date to the millisecond and SysAdmin included.
        param([Parameter(Mandatory, ValueFromPipeline)] $Record, [switch] $WithHiddenValues)
        process {
            $changed = @($Record.ChangedValues | ForEach-Object {
                    $text = '{0}={1}>{2}' -f $_.Name, $_.OldValue, $_.NewValue
                    if ($WithHiddenValues) { $text += '[{0}>{1}]' -f $_.HiddenOldValue, $_.HiddenNewValue }
                    $text
                }) -join ';'
            $affected = if ($Record.AffectedObject -and -not $Record.AffectedObject.IsEmpty) { '{0}/{1}' -f $Record.AffectedObject.Name, $Record.AffectedObject.ObjectType } else { '' }
            $associated = @($Record.AssociatedObjects | ForEach-Object { '{0}/{1}' -f $_.Name, $_.ObjectType }) -join ';'
            $author = if ($Record.Author) { $Record.Author.DisplayName } else { '' }
            @($Record.CreationDate.ToUnixTimeMilliseconds(), $Record.Category, $Record.Summary, $Record.Description, $author, $Record.RemoteAddress,
                "SysAdmin=$($Record.SysAdmin)", $affected, $changed, $associated) -join ' | '
        }
    }

    function New-AuthorObject([string] $DisplayName, [string] $Type) {
        # An AuditAuthor as Get-ConfluenceAuditRecord makes them (its constructor is internal).
        $constructor = [ConfluenceAudit.Models.AuditAuthor].GetConstructors([Reflection.BindingFlags]'NonPublic, Instance')[0]
        $constructor.Invoke(@($DisplayName, $null, $null, $null, $null, $null, $Type, $false, $false))
    }

    function Add-WireRecord {
        # Creates a record on an emulator directly (not through the module), from an AuditRecordCreate hashtable.
        param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [hashtable] $Record)
        Invoke-RestMethod -Uri "$($Emulator.BaseUri)/rest/api/audit" -Method Post -Headers (Get-AdminAuthorizationHeader) `
            -ContentType 'application/json; charset=utf-8' -Body ([Text.Encoding]::UTF8.GetBytes(($Record | ConvertTo-Json -Depth 6 -Compress)))
    }

    $script:NewCommandId = 'ConfluenceAudit.Commands.NewConfluenceAuditRecordCommand'
}

AfterAll {
    foreach ($connection in $script:A, $script:B) { if ($connection) { $connection | Disconnect-ConfluenceAudit } }
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    foreach ($emulator in $script:Emulator, $script:Other) { if ($emulator) { $emulator | Stop-ConfluenceAuditEmulator } }
}

Describe 'New-ConfluenceAuditRecord' {
    BeforeEach { $script:Emulator, $script:Other | Clear-ConfluenceAuditEmulatorRequest }
    AfterEach { Clear-ConfluenceAuditEmulatorFault $script:Emulator }

    Context 'the body sent' {
        It 'sends exactly {"remoteAddress","summary"} for -RemoteAddress and -Summary, and writes the created record' {
            $created = New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.20.30.40 -Summary 'Only two fields'

            $post = Get-ApiRequest $script:Emulator -Module -Method POST
            $post.Count | Should -Be 1
            $post[0].Path | Should -Be '/wiki/rest/api/audit'
            $post[0].Status | Should -Be 200
            ConvertTo-CanonicalJson $post[0].Body | Should -BeExactly (ConvertTo-CanonicalJson '{"remoteAddress":"10.20.30.40","summary":"Only two fields"}')
            $created | Should -BeOfType ([ConfluenceAudit.Models.ConfluenceAuditRecord])
            $created.Summary | Should -BeExactly 'Only two fields'
            $created.RemoteAddress | Should -BeExactly '10.20.30.40'
            # The server stamped it now.
            ([DateTimeOffset]::UtcNow - $created.CreationDate).Duration().TotalMinutes | Should -BeLessThan 5
        }

        It 'sends <Json> for <Parameters>' -ForEach @(
            @{ Parameters = '-SysAdmin'; Json = '{"remoteAddress":"10.0.0.1","sysAdmin":true}' }
            @{ Parameters = '-SysAdmin:$false'; Json = '{"remoteAddress":"10.0.0.1","sysAdmin":false}' }
            @{ Parameters = "-CreationDate ([datetime]::new(2026, 3, 2, 10, 15, 0, 125, [DateTimeKind]::Utc))"; Json = '{"remoteAddress":"10.0.0.1","creationDate":1772446500125}' }
            @{ Parameters = "-CreationDate ([DateTimeOffset]::new(2026, 3, 2, 11, 15, 0, 125, [TimeSpan]::FromHours(1)))"; Json = '{"remoteAddress":"10.0.0.1","creationDate":1772446500125}' }
            @{ Parameters = "-AuthorName 'Ada Admin'"; Json = '{"remoteAddress":"10.0.0.1","author":{"type":"user","displayName":"Ada Admin"}}' }
            @{ Parameters = "-Author 'Ada Admin'"; Json = '{"remoteAddress":"10.0.0.1","author":{"type":"user","displayName":"Ada Admin"}}' }
            @{ Parameters = "-Description '' -Category Security"; Json = '{"remoteAddress":"10.0.0.1","description":"","category":"Security"}' }
            @{ Parameters = "-AffectedObject @{ Name = 'ENG'; ObjectType = 'Space' }"; Json = '{"remoteAddress":"10.0.0.1","affectedObject":{"name":"ENG","objectType":"Space"}}' }
            @{ Parameters = "-ChangedValue @{ Name = 'Permission'; OldValue = 'view'; NewValue = 'edit' }, @{ Name = 'Group'; NewValue = 'engineers' }"
                Json = '{"remoteAddress":"10.0.0.1","changedValues":[{"name":"Permission","oldValue":"view","newValue":"edit"},{"name":"Group","oldValue":"","newValue":"engineers"}]}' }
            @{ Parameters = "-AssociatedObject @{ Name = 'jdoe'; ObjectType = 'User' }, @{ Name = 'ENG'; ObjectType = 'Space' }"
                Json = '{"remoteAddress":"10.0.0.1","associatedObjects":[{"name":"jdoe","objectType":"User"},{"name":"ENG","objectType":"Space"}]}' }
            @{ Parameters = "-AssociatedObject @{ Name = 'ENG'; ObjectType = 'Space' }"; Json = '{"remoteAddress":"10.0.0.1","associatedObjects":[{"name":"ENG","objectType":"Space"}]}' }
        ) {
            $connection = $script:A
            $created = Invoke-Expression "New-ConfluenceAuditRecord -Connection `$connection -RemoteAddress 10.0.0.1 $Parameters"

            $post = Get-ApiRequest $script:Emulator -Module -Method POST
            $post.Count | Should -Be 1
            ConvertTo-CanonicalJson $post[0].Body | Should -BeExactly (ConvertTo-CanonicalJson $Json)
            $created | Should -BeOfType ([ConfluenceAudit.Models.ConfluenceAuditRecord])
        }

        It 'creates a record that reads back with every field it was given' {
            $marker = 'every-field-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            $null = New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.20.30.40 -Summary $marker -Description "Two`nlines" -Category Security `
                -CreationDate ([DateTimeOffset]::FromUnixTimeMilliseconds(1772446500125)) -SysAdmin -AuthorName 'Zoë Admin' `
                -AffectedObject @{ Name = 'ENG'; ObjectType = 'Space' } -ChangedValue @{ Name = 'Permission'; OldValue = 'view'; NewValue = 'edit' } `
                -AssociatedObject @{ Name = 'jdoe'; ObjectType = 'User' }, @{ Name = 'ENG'; ObjectType = 'Space' }

            $found = @(Get-ConfluenceAuditRecord -Connection $script:A -SearchString $marker)
            $found.Count | Should -Be 1
            $record = $found[0]
            $record.CreationDate.ToUnixTimeMilliseconds() | Should -Be 1772446500125
            $record.Description | Should -BeExactly "Two`nlines"
            $record.Category | Should -BeExactly 'Security'
            $record.SysAdmin | Should -BeTrue
            $record.Author.DisplayName | Should -BeExactly 'Zoë Admin'
            $record.Author.Type | Should -BeExactly 'user'
            '{0}/{1}' -f $record.AffectedObject.Name, $record.AffectedObject.ObjectType | Should -BeExactly 'ENG/Space'
            @($record.ChangedValues | ForEach-Object { '{0}:{1}>{2}' -f $_.Name, $_.OldValue, $_.NewValue }) | Should -Be @('Permission:view>edit')
            @($record.AssociatedObjects | ForEach-Object { '{0}/{1}' -f $_.Name, $_.ObjectType }) | Should -Be @('jdoe/User', 'ENG/Space')
        }

        It 'sends a local -CreationDate as the instant it means in the local time zone (TZ=Asia/Kolkata, UTC+05:30)' {
            $script = (Get-ChildConnectScript $script:Emulator) +
            "New-ConfluenceAuditRecord -Connection `$c -RemoteAddress 10.0.0.1 -Summary local-unspecified -CreationDate ([datetime]'2026-03-02 15:45:00.125') | Out-Null`n" +
            "New-ConfluenceAuditRecord -Connection `$c -RemoteAddress 10.0.0.1 -Summary local-kind -CreationDate ([datetime]::new(2026, 3, 2, 15, 45, 0, 125, [DateTimeKind]::Local)) | Out-Null`n" +
            "[TimeZoneInfo]::Local.BaseUtcOffset.ToString()"

            $child = Invoke-ChildPwsh -ImportModule -Script $script -Environment @{ TZ = 'Asia/Kolkata' }

            $child.ExitCode | Should -Be 0 -Because $child.Output
            $child.Output | Should -Match '05:30:00' -Because 'the child must really run in UTC+05:30'
            $posts = Get-ApiRequest $script:Emulator -Module -Method POST
            $posts.Count | Should -Be 2
            foreach ($post in $posts) { ($post.Body | ConvertFrom-Json).creationDate | Should -Be 1772446500125 }
        }
    }

    Context 'input refused before any request' {
        It 'refuses -RemoteAddress <Address> with AuditRecordRemoteAddressMissing and sends nothing' -ForEach @(
            @{ Address = "''"; Value = '' }
            @{ Address = "'   '"; Value = '   ' }
        ) {
            $before = Get-ConfluenceAuditEmulatorRecordCount $script:Emulator

            $result = Invoke-Collect { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress $Value -Summary 'No address' }

            $result.Errors.Count | Should -Be 1
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "AuditRecordRemoteAddressMissing,$script:NewCommandId"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $result.Errors[0].Exception.Message | Should -Match 'remote address'
            $result.Output | Should -BeNullOrEmpty
            Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
            Get-ConfluenceAuditEmulatorRecordCount $script:Emulator | Should -Be $before
        }

        It 'refuses <Case> at binding and sends nothing' -ForEach @(
            @{ Case = 'an unknown key in -AffectedObject'; Command = { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -AffectedObject @{ Name = 'ENG'; Type = 'Space' } }; Mentions = 'Type' }
            @{ Case = '-AffectedObject without Name'; Command = { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -AffectedObject @{ ObjectType = 'Space' } }; Mentions = 'Name' }
            @{ Case = 'an unknown key in -ChangedValue'; Command = { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -ChangedValue @{ Name = 'P'; Old = 'a'; NewValue = 'b' } }; Mentions = 'Old' }
            @{ Case = '-ChangedValue without Name'; Command = { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -ChangedValue @{ OldValue = 'a'; NewValue = 'b' } }; Mentions = 'Name' }
            @{ Case = 'an unknown key in the second -AssociatedObject'; Command = { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -AssociatedObject @{ Name = 'a'; ObjectType = 'User' }, @{ Name = 'b'; Kind = 'Space' } }; Mentions = 'Kind' }
        ) {
            $err = Invoke-Captured $Command

            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike "ParameterArgumentTransformationError,$script:NewCommandId"
            $err.Exception.Message | Should -Match ([regex]::Escape($Mentions))
            Get-ApiRequest $script:Emulator -Module | Should -BeNullOrEmpty
        }

        It 'refuses a piped record whose author is not of type user, and creates the others' {
            $robot = [pscustomobject]@{ RemoteAddress = '10.0.0.9'; Summary = 'made by a robot'; Author = New-AuthorObject 'Backup robot' 'app' }
            $person = [pscustomobject]@{ RemoteAddress = '10.0.0.10'; Summary = 'made by a person'; Author = New-AuthorObject 'Ada Admin' 'user' }

            $result = Invoke-Collect { $robot, $person | New-ConfluenceAuditRecord -Connection $script:A }

            $result.Errors.Count | Should -Be 1
            $result.Errors[0].Exception | Should -BeOfType ([System.Management.Automation.ParameterBindingException])
            $result.Errors[0].Exception.Message | Should -Match "'app'"
            $posts = Get-ApiRequest $script:Emulator -Module -Method POST
            $posts.Count | Should -Be 1
            ConvertTo-CanonicalJson $posts[0].Body | Should -BeExactly (ConvertTo-CanonicalJson '{"remoteAddress":"10.0.0.10","summary":"made by a person","author":{"type":"user","displayName":"Ada Admin"}}')
        }

        It '-WhatIf sends nothing and creates nothing' {
            $before = Get-ConfluenceAuditEmulatorRecordCount $script:Emulator

            $output = New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -Summary 'what if' -WhatIf
            $piped = Get-ConfluenceAuditRecord -Connection $script:A -First 3 | New-ConfluenceAuditRecord -Connection $script:A -WhatIf

            $output | Should -BeNullOrEmpty
            $piped | Should -BeNullOrEmpty
            Get-ApiRequest $script:Emulator -Module -Method POST | Should -BeNullOrEmpty
            Get-ConfluenceAuditEmulatorRecordCount $script:Emulator | Should -Be $before
        }
    }

    Context 'records piped from Get-ConfluenceAuditRecord' {
        It 're-creates piped records on the same site' {
            $originals = @(Get-ConfluenceAuditRecord -Connection $script:A -First 40 | Where-Object RemoteAddress | Select-Object -First 5)
            $before = Get-ConfluenceAuditEmulatorRecordCount $script:Emulator
            $script:Emulator, $script:Other | Clear-ConfluenceAuditEmulatorRequest

            $created = @($originals | New-ConfluenceAuditRecord -Connection $script:A)

            $created.Count | Should -Be 5
            (Get-ApiRequest $script:Emulator -Module -Method POST).Count | Should -Be 5
            Get-ConfluenceAuditEmulatorRecordCount $script:Emulator | Should -Be ($before + 5)
            Compare-Sequence -Actual @($created | Get-FullRecordKey -WithHiddenValues) -Expected @($originals | Get-FullRecordKey -WithHiddenValues) | Should -BeNullOrEmpty
        }

        It 'copies records to another site with -Connection, every field intact' {
            Reset-ConfluenceAuditEmulator $script:Other
            $originals = @(Get-ConfluenceAuditRecord -Connection $script:A -First 60 | Where-Object RemoteAddress)
            $before = Get-ConfluenceAuditEmulatorRecordCount $script:Emulator
            $script:Emulator, $script:Other | Clear-ConfluenceAuditEmulatorRequest

            $originals | New-ConfluenceAuditRecord -Connection $script:B | Out-Null

            Get-ApiRequest $script:Emulator -Module -Method POST | Should -BeNullOrEmpty
            Get-ConfluenceAuditEmulatorRecordCount $script:Emulator | Should -Be $before
            (Get-ApiRequest $script:Other -Module -Method POST).Count | Should -Be $originals.Count
            $copies = @(Get-ConfluenceAuditRecord -Connection $script:B)
            Compare-Sequence -Actual @($copies | Get-FullRecordKey -WithHiddenValues | Sort-Object -CaseSensitive) `
                -Expected @($originals | Get-FullRecordKey -WithHiddenValues | Sort-Object -CaseSensitive) | Should -BeNullOrEmpty
        }

        It 'refuses the records without a remote address, saying why, and copies the rest' {
            $withoutAddress = @(Get-ConfluenceAuditRecord -Connection $script:A | Where-Object { -not $_.RemoteAddress } | Select-Object -First 2)
            $withoutAddress.Count | Should -Be 2 -Because 'the seeded log holds system events without an address'
            $withAddress = @(Get-ConfluenceAuditRecord -Connection $script:A -First 20 | Where-Object RemoteAddress | Select-Object -First 2)
            Reset-ConfluenceAuditEmulator $script:Other

            $result = Invoke-Collect { $withoutAddress[0], $withAddress[0], $withoutAddress[1], $withAddress[1] | New-ConfluenceAuditRecord -Connection $script:B }

            $result.Output.Count | Should -Be 2
            $result.Errors.Count | Should -Be 2
            $result.Errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "AuditRecordRemoteAddressMissing,$script:NewCommandId" }
            $result.Errors[0].Exception.Message | Should -Match ([regex]::Escape($withoutAddress[0].Summary))
            (Get-ApiRequest $script:Other -Module -Method POST).Count | Should -Be 2
        }
    }

    Context 'the CSV round trip (Export-Csv, then Import-Csv | New-ConfluenceAuditRecord)' {
        BeforeAll {
            # Records with everything a CSV cell can hold, created directly on A; creation dates in whole seconds.
            $script:CsvMarker = 'csv-rt-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            $m = $script:CsvMarker
            $script:CsvOriginals = @(
                @{ remoteAddress = '10.1.2.3'; creationDate = 1772446500000; summary = "$m plain"; description = ''; category = 'Permissions'; sysAdmin = $false
                    author = @{ type = 'user'; displayName = 'Ada Admin' }; affectedObject = @{ name = 'ENG'; objectType = 'Space' }
                    changedValues = @(@{ name = 'Permission'; oldValue = 'view'; newValue = 'edit' }, @{ name = 'Group'; oldValue = ''; newValue = 'engineers' })
                    associatedObjects = @(@{ name = 'jdoe'; objectType = 'User' }, @{ name = 'ENG'; objectType = 'Space' }) }
                @{ remoteAddress = '2001:db8::1'; creationDate = 1772446400000; summary = "$m Said `"hi`", then left"; description = "Line 1`r`nLine 2`n`"quoted`", comma; semicolon 🎉"
                    category = 'Sécurité'; sysAdmin = $true; author = @{ type = 'user'; displayName = 'Zoë "Z" Ångström, 日本' }
                    affectedObject = @{ name = 'Über, "ENG"'; objectType = 'Space' }; changedValues = @(@{ name = 'Titel'; oldValue = 'Alt, "x"'; newValue = "Neu`nzweite Zeile" })
                    associatedObjects = @(@{ name = 'Ærø'; objectType = 'Page' }) }
                @{ remoteAddress = '10.0.0.7'; creationDate = 1772446300000; summary = "$m Moved (a); b"; description = 'C:\temp\x'; category = 'Content'; sysAdmin = $false
                    author = @{ type = 'user'; displayName = "O'Brien (contractor); ops" }; affectedObject = @{ name = 'R&D (old); new'; objectType = 'Space' }
                    changedValues = @(@{ name = 'Key: with colon'; oldValue = 'a -> b; c'; newValue = 'd\e (f) -> g' }, @{ name = 'Parent; page'; oldValue = 'x (y)'; newValue = 'z' })
                    associatedObjects = @(@{ name = 'a;b'; objectType = 'Page' }, @{ name = 'c (d)'; objectType = 'Blog post' }, @{ name = 'back\slash\'; objectType = 'User' }) }
                @{ remoteAddress = '127.0.0.1'; creationDate = 1772446200000; summary = "$m system"; category = 'Auditing'; sysAdmin = $true
                    author = @{ type = 'user'; displayName = 'System' } }
            )
            foreach ($record in $script:CsvOriginals) { Add-WireRecord -Emulator $script:Emulator -Record $record | Out-Null }
        }

        BeforeEach {
            $script:Folder = New-TestFolder
            Reset-ConfluenceAuditEmulator $script:Other
        }

        AfterEach { Remove-TestFolder $script:Folder }

        It 'recreates equivalent records: commas, quotes, newlines, non-ASCII, parentheses and semicolons, changed values, associated objects, SysAdmin' {
            $originals = @(Get-ConfluenceAuditRecord -Connection $script:A -SearchString $script:CsvMarker)
            $originals.Count | Should -Be 4
            $csv = Join-Path $script:Folder 'records.csv'
            $originals | Export-Csv -LiteralPath $csv
            $script:Emulator, $script:Other | Clear-ConfluenceAuditEmulatorRequest

            $result = Invoke-Collect { Import-Csv -LiteralPath $csv | New-ConfluenceAuditRecord -Connection $script:B }

            $result.Errors | Should -BeNullOrEmpty
            (Get-ApiRequest $script:Other -Module -Method POST).Count | Should -Be 4
            $copies = @(Get-ConfluenceAuditRecord -Connection $script:B)
            $copies.Count | Should -Be 4
            for ($i = 0; $i -lt 4; $i++) {
                $original = $originals[$i]; $copy = $copies[$i]
                $copy.CreationDate.ToUnixTimeMilliseconds() | Should -Be $original.CreationDate.ToUnixTimeMilliseconds()
                $copy.Summary | Should -BeExactly $original.Summary
                $copy.Description | Should -BeExactly $original.Description
                $copy.Category | Should -BeExactly $original.Category
                $copy.RemoteAddress | Should -BeExactly $original.RemoteAddress
                $copy.SysAdmin | Should -Be $original.SysAdmin
                $copy.Author.DisplayName | Should -BeExactly $original.Author.DisplayName
                "$($copy.AffectedObject.Name)|$($copy.AffectedObject.ObjectType)" | Should -BeExactly "$($original.AffectedObject.Name)|$($original.AffectedObject.ObjectType)"
                (@($copy.ChangedValues | ForEach-Object { "$($_.Name)|$($_.OldValue)|$($_.NewValue)" }) -join "`n") |
                    Should -BeExactly (@($original.ChangedValues | ForEach-Object { "$($_.Name)|$($_.OldValue)|$($_.NewValue)" }) -join "`n")
                (@($copy.AssociatedObjects | ForEach-Object { "$($_.Name)|$($_.ObjectType)" }) -join "`n") |
                    Should -BeExactly (@($original.AssociatedObjects | ForEach-Object { "$($_.Name)|$($_.ObjectType)" }) -join "`n")
            }
            # And the record the author created by hand: SysAdmin True survived as a boolean.
            ($copies | Where-Object Summary -Like '*system').SysAdmin | Should -BeTrue
        }

        It 'recreates the seeded records (to the millisecond, removals with an empty new value included) and refuses the ones without address' {
            $originals = @(Get-ConfluenceAuditRecord -Connection $script:A -First 150 | Where-Object Summary -NotLike "$script:CsvMarker*")
            $withAddress = @($originals | Where-Object RemoteAddress)
            $withoutAddress = @($originals | Where-Object { -not $_.RemoteAddress })
            $withoutAddress.Count | Should -BeGreaterThan 0 -Because 'the seeded log holds system events without an address'
            @($withAddress.ChangedValues | Where-Object { $_.NewValue -eq '' -and $_.OldValue -ne '' }).Count | Should -BeGreaterThan 0 -Because 'the seeded log holds removals'
            $csv = Join-Path $script:Folder 'seeded.csv'
            $originals | Export-Csv -LiteralPath $csv

            $result = Invoke-Collect { Import-Csv -LiteralPath $csv | New-ConfluenceAuditRecord -Connection $script:B }

            @($result.Errors | Where-Object FullyQualifiedErrorId -NotLike 'AuditRecordRemoteAddressMissing,*' | ForEach-Object { "$_" } | Select-Object -First 3) | Should -BeNullOrEmpty
            @($result.Errors | Where-Object FullyQualifiedErrorId -Like 'AuditRecordRemoteAddressMissing,*').Count | Should -Be $withoutAddress.Count
            $copies = @(Get-ConfluenceAuditRecord -Connection $script:B)
            # Hidden values are not in the CSV; everything else must be.
            Compare-Sequence -Actual @($copies | Get-FullRecordKey | Sort-Object -CaseSensitive) -Expected @($withAddress | Get-FullRecordKey | Sort-Object -CaseSensitive) | Should -BeNullOrEmpty
        }
    }

    Context 'failures: was the record created?' {
        It 'a 503 is not retried and says the record was not created' {
            $before = Get-ConfluenceAuditEmulatorRecordCount $script:Emulator
            Set-EmulatorFault $script:Emulator @{ Queue = '503' } -Path '/wiki/rest/api/audit' -Method POST

            $result = Invoke-Collect { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -Summary 'refused by the server' }

            $result.Errors.Count | Should -Be 1
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "ConfluenceUnavailable,$script:NewCommandId"
            "$($result.Errors[0].ErrorDetails.Message)" | Should -Match 'was not created'
            (Get-ApiRequest $script:Emulator -Module -Method POST).Count | Should -Be 1
            Get-ConfluenceAuditEmulatorRecordCount $script:Emulator | Should -Be $before
        }

        It 'a response cut off mid-body is not retried (one POST) and says the record may have been created' {
            $before = Get-ConfluenceAuditEmulatorRecordCount $script:Emulator
            Set-EmulatorFault $script:Emulator @{ Queue = 'drop' } -Path '/wiki/rest/api/audit' -Method POST

            $result = Invoke-Collect { New-ConfluenceAuditRecord -Connection $script:A -RemoteAddress 10.0.0.1 -Summary 'answer lost' }

            $result.Output | Should -BeNullOrEmpty
            $result.Errors.Count | Should -Be 1
            "$($result.Errors[0].ErrorDetails.Message)" | Should -Match 'may have been created'
            "$($result.Errors[0].ErrorDetails.Message)" | Should -Match 'Get-ConfluenceAuditRecord'
            $posts = Get-ApiRequest $script:Emulator -Module -Method POST
            $posts.Count | Should -Be 1 -Because 'creating a record is not idempotent: a lost answer is never retried'
            $posts[0].Fault | Should -Be 'drop'
            Get-ConfluenceAuditEmulatorRecordCount $script:Emulator | Should -Be ($before + 1) -Because 'the server did create it, which is why the error must say so'
        }
    }
}

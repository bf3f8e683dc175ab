#Requires -Version 7.0
# The package ./build.ps1 Package makes: PSResourceGet installs it from a local file repository into a temporary
# folder, and a child pwsh imports it BY NAME from there and uses it against the emulator. And: on PowerShell 7 the
# module loads next to another module's, different System.Text.Json. Each scenario runs in a fresh child pwsh.

BeforeAll {
    $script:Emulator = $null
    $script:WorkDir = $null
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:ModulePath = Get-TestModulePath
    $script:EmulatorModule = Join-Path $script:RepoRoot 'src/ConfluenceAudit.Emulator/EmulatorProcess.psm1'
    Import-Module $script:EmulatorModule -Global -Force -ErrorAction Stop
    Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop

    # The build's own packaging function and shipped-file list, from the build module build.ps1 runs its tasks with.
    Import-Module (Join-Path $script:RepoRoot 'build/ConfluenceAudit.Build.psm1') -Force -ErrorAction Stop
    $script:ModuleFiles = @(Get-ShippedModuleFile)

    [xml] $props = Get-Content -LiteralPath (Join-Path $script:RepoRoot 'Directory.Build.props') -Raw
    $script:Version = @($props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode('Version') } | Where-Object { $_ })[0].InnerText

    $script:WorkDir = Join-Path ([System.IO.Path]::GetTempPath()) "ConfluenceAudit-package-test-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $script:WorkDir | Out-Null
    $script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '20'
}

AfterAll {
    if ($script:Emulator) { $script:Emulator | Stop-ConfluenceAuditEmulator }
    if ($script:WorkDir -and (Test-Path -LiteralPath $script:WorkDir)) { Remove-Item -LiteralPath $script:WorkDir -Recurse -Force }
}

Describe 'The package' {
    BeforeAll {
        # The same function ./build.ps1 Package runs, on the module under test: a temporary repository, Publish-PSResource.
        $script:Package = New-ModulePackage -ModulePath $script:ModulePath -DestinationPath (Join-Path $script:WorkDir 'package')

        # Install it as a user would, from a (temporary, local) file repository, into a temporary folder only.
        $script:InstallRoot = Join-Path $script:WorkDir 'modules'
        New-Item -ItemType Directory -Path $script:InstallRoot | Out-Null
        $script:RepositoryName = "ConfluenceAudit-test-$([guid]::NewGuid().ToString('n'))"
        Register-PSResourceRepository -Name $script:RepositoryName -Uri (Split-Path -Parent $script:Package) -Trusted -ErrorAction Stop
        try {
            $script:Saved = @(Save-PSResource -Name ConfluenceAudit -Repository $script:RepositoryName -Path $script:InstallRoot -TrustRepository -SkipDependencyCheck -PassThru -ErrorAction Stop)
        }
        finally {
            Unregister-PSResourceRepository -Name $script:RepositoryName -ErrorAction Stop
        }
        $script:Installed = Join-Path $script:InstallRoot "ConfluenceAudit/$script:Version"
    }

    It 'is named after the version in Directory.Build.props' {
        Split-Path -Leaf $script:Package | Should -Be "ConfluenceAudit.$script:Version.nupkg"
    }

    It 'holds exactly the shipped files of the build, the manifest, the LICENSE and the help' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($script:Package)
        try { $entries = @($zip.Entries | ForEach-Object FullName) } finally { $zip.Dispose() }

        $aboutTopics = @(Get-ChildItem -LiteralPath (Join-Path $script:RepoRoot 'docs/help') -Filter 'about_*.md' | ForEach-Object { "en-US/$($_.BaseName).help.txt" })
        $aboutTopics.Count | Should -BeGreaterThan 0
        $expected = @($script:ModuleFiles) + @('ConfluenceAudit.psd1', 'LICENSE', 'en-US/ConfluenceAudit.dll-Help.xml') + $aboutTopics
        $nuget = @('ConfluenceAudit.nuspec', '[Content_Types].xml', '_rels/.rels')
        $moduleEntries = @($entries | Where-Object { $_ -notin $nuget -and $_ -notlike 'package/services/metadata/core-properties/*.psmdcp' })

        @($moduleEntries | Sort-Object) | Should -Be @($expected | Sort-Object)
        foreach ($name in $nuget) { $entries | Should -Contain $name }
        $entries | Where-Object { $_ -match '\.pdb$|\.deps\.json$|(^|/)System\.Management\.Automation\.dll$' } | Should -BeNullOrEmpty
    }

    It 'installs with PSResourceGet into a temporary folder, with the stamped version' {
        $script:Saved.Count | Should -Be 1
        $script:Saved[0].Name | Should -Be 'ConfluenceAudit'
        "$($script:Saved[0].Version)" | Should -Be $script:Version
        $manifest = Join-Path $script:Installed 'ConfluenceAudit.psd1'
        Test-Path -LiteralPath $manifest | Should -BeTrue
        (Test-ModuleManifest -Path $manifest).Version | Should -Be ([version]$script:Version)
        (Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion | Should -Be $script:Version
        Get-PSResourceRepository -Name $script:RepositoryName -ErrorAction SilentlyContinue | Should -BeNullOrEmpty -Because 'the temporary repository is unregistered again'
    }

    It 'is imported BY NAME from a PSModulePath folder in a child pwsh and reads records from the emulator' {
        $child = Invoke-ChildPwsh -Environment @{ CA_TEST_MODULES = $script:InstallRoot; CA_TEST_EMULATOR = $script:EmulatorModule; CA_TEST_BASEURI = $script:Emulator.BaseUri } -Script @'
$env:PSModulePath = $env:CA_TEST_MODULES + [System.IO.Path]::PathSeparator + $env:PSModulePath
Import-Module ConfluenceAudit
Import-Module $env:CA_TEST_EMULATOR
$module = Get-Module ConfluenceAudit
Connect-ConfluenceAudit -BaseUri $env:CA_TEST_BASEURI -Credential (Get-ConfluenceAuditEmulatorCredential)
$records = @(Get-ConfluenceAuditRecord -First 1)
'RESULT:' + ([pscustomobject]@{
    ModuleBase = $module.ModuleBase
    Version    = "$($module.Version)"
    Cmdlets    = @($module.ExportedCmdlets.Keys | Sort-Object)
    Count      = $records.Count
    Type       = $records[0].GetType().FullName
    Summary    = $records[0].Summary
} | ConvertTo-Json -Compress)
'@
        $child.ExitCode | Should -Be 0 -Because $child.Output
        $result = $child.Result
        $result.ModuleBase | Should -Be $script:Installed
        $result.Version | Should -Be $script:Version
        $result.Cmdlets | Should -Be @((Import-PowerShellDataFile -LiteralPath (Join-Path $script:Installed 'ConfluenceAudit.psd1')).CmdletsToExport | Sort-Object)
        $result.Count | Should -Be 1
        $result.Type | Should -Be 'ConfluenceAudit.Models.ConfluenceAuditRecord'
        $result.Summary | Should -Not -BeNullOrEmpty
    }
}

Describe 'Loading next to another System.Text.Json' {
    It 'imports and parses JSON after another module loaded System.Text.Json <OtherVersion> into its own load context' -ForEach @(
        @{ OtherVersion = '8.0.0.0' }
    ) {
        # The module folder's System.Text.Json (8.0.x) stands in for another module's private copy: PowerShell 7.6 has 10.x.
        $other = Join-Path $script:ModulePath 'System.Text.Json.dll'
        [System.Reflection.AssemblyName]::GetAssemblyName($other).Version | Should -Be ([version]$OtherVersion)

        $child = Invoke-ChildPwsh -Environment @{ CA_TEST_MODULE = $script:ModulePath; CA_TEST_OTHER_STJ = $other; CA_TEST_EMULATOR = $script:EmulatorModule; CA_TEST_BASEURI = $script:Emulator.BaseUri } -Script @'
# Another module: its own System.Text.Json in its own AssemblyLoadContext, used to parse a document.
$context = [System.Runtime.Loader.AssemblyLoadContext]::new('AnotherModule', $true)
$otherJson = $context.LoadFromAssemblyPath($env:CA_TEST_OTHER_STJ)
$optionsType = $otherJson.GetType('System.Text.Json.JsonDocumentOptions', $true)
$parse = $otherJson.GetType('System.Text.Json.JsonDocument', $true).GetMethod('Parse', [type[]]@([string], $optionsType))
$document = $parse.Invoke($null, [object[]]@('{"from":"another module"}', [Activator]::CreateInstance($optionsType)))
$otherValue = $document.RootElement.GetProperty('from').GetString()

# Then ConfluenceAudit, parsing the emulator's JSON.
Import-Module (Join-Path $env:CA_TEST_MODULE 'ConfluenceAudit.psd1')
Import-Module $env:CA_TEST_EMULATOR
Connect-ConfluenceAudit -BaseUri $env:CA_TEST_BASEURI -Credential (Get-ConfluenceAuditEmulatorCredential)
$records = @(Get-ConfluenceAuditRecord -First 3)

# Which System.Text.Json the module is bound to: the one its load context resolves its reference to.
$moduleAssembly = (Get-Module ConfluenceAudit).ImplementingAssembly
$moduleContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($moduleAssembly)
$reference = $moduleAssembly.GetReferencedAssemblies() | Where-Object Name -eq 'System.Text.Json'
$bound = $moduleContext.LoadFromAssemblyName($reference)
$powerShells = [System.Runtime.Loader.AssemblyLoadContext]::Default.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('System.Text.Json'))
'RESULT:' + ([pscustomobject]@{
    OtherValue      = $otherValue
    OtherVersion    = "$($otherJson.GetName().Version)"
    OtherContext    = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($otherJson).Name
    Count           = $records.Count
    Summaries       = @($records | ForEach-Object Summary | Where-Object { $_ })
    Referenced      = "$($reference.Version)"
    ModuleContext   = $moduleContext.Name
    BoundVersion    = "$($bound.GetName().Version)"
    BoundLocation   = $bound.Location
    BoundIsPowerShells = [object]::ReferenceEquals($bound, $powerShells)
    Loaded          = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'System.Text.Json' } |
        ForEach-Object { '{0} {1} {2}' -f [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name, $_.GetName().Version, $_.Location })
} | ConvertTo-Json -Compress)
'@
        $child.ExitCode | Should -Be 0 -Because $child.Output
        $result = $child.Result
        Write-Host "System.Text.Json loaded in the child: $($result.Loaded -join '; ')"

        $result.OtherValue | Should -Be 'another module' -Because 'the other module used its own copy'
        $result.OtherVersion | Should -Be $OtherVersion
        $result.OtherContext | Should -Be 'AnotherModule'

        $result.Count | Should -Be 3
        @($result.Summaries).Count | Should -Be 3 -Because 'every record was parsed'

        $result.ModuleContext | Should -Be 'Default'
        $result.BoundIsPowerShells | Should -BeTrue -Because "the module binds to PowerShell's own System.Text.Json ($($result.BoundVersion) at $($result.BoundLocation))"
        [version]$result.BoundVersion | Should -BeGreaterOrEqual ([version]$result.Referenced)
        $result.BoundVersion | Should -Not -Be $result.OtherVersion
        $result.BoundLocation | Should -Not -BeLike "$script:ModulePath*" -Because "PowerShell 7 never loads the module folder's copy"
        @($result.Loaded).Count | Should -Be 2 -Because 'one copy for the other module, PowerShell''s own for everyone else'
    }
}

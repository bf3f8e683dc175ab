# The help's view of the built module: every exported cmdlet's parameters, parameter sets, types, defaults and
# OutputType, read in a child pwsh so the calling session never loads, or locks, the module's DLL.

# Runs in the child: imports the built module and writes what the help needs as JSON.
$script:HelpMetadataScript = @'
param([string] $ModulePath, [string] $OutFile)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$module = Import-Module -Name (Join-Path $ModulePath 'ConfluenceAudit.psd1') -PassThru -ErrorAction Stop
$common = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)

function Get-TypeInfo([type] $Type) {
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $Type = $underlying }
    $element = if ($Type.IsArray) { $Type.GetElementType() } else { $Type }
    [ordered]@{
        Name     = $Type.Name
        FullName = $Type.FullName
        IsSwitch = $Type -eq [System.Management.Automation.SwitchParameter]
        Values   = @(if ($element.IsEnum) { [Enum]::GetNames($element) })
    }
}

$commands = foreach ($name in @($module.ExportedCmdlets.Keys | Sort-Object)) {
    $command = Get-Command -Name $name -Module $module.Name -CommandType Cmdlet
    # A fresh instance of the cmdlet class holds the parameters' default values.
    $instance = $null
    try { $instance = [Activator]::CreateInstance($command.ImplementingType) } catch { $instance = $null }
    $parameters = foreach ($parameter in $command.Parameters.Values) {
        $type = Get-TypeInfo $parameter.ParameterType
        $default = 'None'
        $alwaysMandatory = @($parameter.ParameterSets.Values | Where-Object { -not $_.IsMandatory }).Count -eq 0
        if ($type.IsSwitch) { $default = 'False' }
        elseif ($alwaysMandatory) { $default = 'None' }
        elseif ($instance -and $parameter.Name -notin $common -and $instance.GetType().GetProperty($parameter.Name)) {
            $value = $instance.($parameter.Name)
            if ($null -ne $value -and "$value" -ne '') { $default = [string]$value }
        }
        [ordered]@{
            Name              = $parameter.Name
            Aliases           = @($parameter.Aliases)
            Type              = $type
            IsCommon          = $parameter.Name -in $common
            SupportsWildcards = [bool]@($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count
            DefaultValue      = $default
            Sets              = @(foreach ($set in $parameter.ParameterSets.Keys) {
                    $info = $parameter.ParameterSets[$set]
                    [ordered]@{
                        Name            = $set
                        Mandatory       = $info.IsMandatory
                        Position        = $info.Position
                        ByValue         = $info.ValueFromPipeline
                        ByPropertyName  = $info.ValueFromPipelineByPropertyName
                    }
                })
        }
    }
    if ($instance -is [IDisposable]) { $instance.Dispose() }
    [ordered]@{
        Name                = $command.Name
        Verb                = $command.Verb
        Noun                = $command.Noun
        DefaultParameterSet = $command.DefaultParameterSet
        OutputType          = @($command.OutputType | ForEach-Object { if ($_.Type) { $_.Type.FullName } else { $_.Name } })
        ParameterSets       = @(foreach ($set in $command.ParameterSets) {
                [ordered]@{ Name = $set.Name; IsDefault = $set.IsDefault; Parameters = @($set.Parameters | ForEach-Object Name) }
            })
        Parameters          = @($parameters)
    }
}

$metadata = [ordered]@{ Version = $module.Version.ToString(); Commands = @($commands) }
$metadata | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $OutFile -Encoding utf8
'@

function Get-HelpModuleMetadata {
    # {Version, Commands}: the built module in -ModulePath as the help needs it.
    param([Parameter(Mandatory)] [string] $ModulePath)
    $work = Join-Path ([IO.Path]::GetTempPath()) ("confluenceaudit-help-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
    try {
        $scriptPath = Join-Path $work 'Read-Metadata.ps1'
        $json = Join-Path $work 'metadata.json'
        Set-Content -LiteralPath $scriptPath -Value $script:HelpMetadataScript -Encoding utf8

        # The same PowerShell that runs this script, in a new process: as pwsh, or as pwsh.dll under dotnet (a .NET tool).
        $exe = [Environment]::ProcessPath
        $arguments = @('-NoProfile', '-NonInteractive', '-File', $scriptPath, '-ModulePath', $ModulePath, '-OutFile', $json)
        if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $arguments = @(Join-Path $PSHOME 'pwsh.dll') + $arguments }
        elseif ([IO.Path]::GetFileNameWithoutExtension($exe) -notin 'pwsh', 'pwsh-preview') {
            $exe = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
        }

        & $exe @arguments
        if ($LASTEXITCODE -ne 0) { throw "Reading the metadata of the module in '$ModulePath' failed (exit code $LASTEXITCODE): see the errors above." }
        if (-not (Test-Path -LiteralPath $json)) { throw "Reading the metadata of the module in '$ModulePath' wrote nothing." }
        Get-Content -LiteralPath $json -Raw | ConvertFrom-Json
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function ConvertTo-HelpCommandTable {
    # The commands of the metadata by name, each with a Lookup of its parameters by name and alias (what example code may write).
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Command)
    $commands = @{}
    foreach ($item in $Command) {
        $lookup = @{}
        foreach ($parameter in $item.Parameters) {
            $lookup[$parameter.Name] = $parameter
            foreach ($alias in $parameter.Aliases) { $lookup[$alias] = $parameter }
        }
        $item | Add-Member -NotePropertyName Lookup -NotePropertyValue $lookup -Force
        $commands[$item.Name] = $item
    }
    $commands
}

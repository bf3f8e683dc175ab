# The help of the module, from docs/help/*.md and the built module's metadata: Export-ModuleHelp runs the other Help.*.ps1.

$script:HelpModuleName = 'ConfluenceAudit'
$script:MamlFileName = 'ConfluenceAudit.dll-Help.xml'

function Export-ModuleHelp {
    <#
.SYNOPSIS
Builds the ConfluenceAudit help (MAML and about topics) from docs/help/*.md and the built module's metadata.

.DESCRIPTION
The markdown files in -SourcePath are the one source of the module's help. This function imports the BUILT module
in a child pwsh (so the calling session never loads, or locks, the module's DLL), reads each exported cmdlet's
real metadata (parameter sets, types, mandatory, position, pipeline input, aliases, wildcards, defaults,
OutputType), merges the text of the markdown files, and writes:

  <OutputPath>/ConfluenceAudit.dll-Help.xml      MAML for Get-Help <cmdlet>
  <OutputPath>/about_<Topic>.help.txt            one plain-text topic (80 columns) per about_<Topic>.md

-OutputPath defaults to <ModulePath>/en-US. Nothing is written unless every check passes; otherwise the function
throws one error that lists every problem. The checks: every exported cmdlet
has a markdown file with a synopsis, a description, at least two examples and an OUTPUTS entry per declared
OutputType; every parameter (common parameters, -WhatIf and -Confirm excepted) is described; no described
parameter is missing from the cmdlet; every example (and every powershell block of an about topic) parses and
calls the module's cmdlets only with parameters, or aliases, they have (exact names, no prefixes), in a
combination one parameter set allows; and every example calls the cmdlet it documents.

CMDLET MARKDOWN FORMAT (docs/help/<Cmdlet-Name>.md)
Headings are ATX (#), level 1 to 3 only; sections come in this order, names in capitals:

  # Get-ConfluenceAuditRecord                 the exact cmdlet name, once, first
  ## SYNOPSIS                                 required: exactly one paragraph
  ## DESCRIPTION                              required: paragraphs and "- " list items
  ## EXAMPLES                                 required: nothing but the examples, at least two
  ### Example 1: What it shows                "Example <n>: <title>", n counting from 1
  ```powershell                               required: exactly one powershell block, first
  Get-ConfluenceAuditRecord -First 10
  ```
  What it does and why.                       required: at least one paragraph after the code
  ## PARAMETERS                               required (empty for a cmdlet without parameters)
  ### -First                                  one per parameter, "-" + the exact name
  Paragraphs.                                 required: at least one
  ## INPUTS                                   optional: "### <type>" + paragraphs; when left out,
                                              the pipeline input is described from the metadata
  ## OUTPUTS                                  required: "### <full type name>" + paragraphs, one
                                              per OutputType; "### None" for [OutputType([void])]
  ## NOTES                                    optional: paragraphs and list items
  ## RELATED LINKS                            optional: "- " items, each a cmdlet of the module,
                                              an about topic of -SourcePath, or [text](https://...)

There is no SYNTAX section: syntax, parameter sets, types, positions, pipeline input, aliases and default
values come from the built module, so they cannot drift from the code. -WhatIf and -Confirm get PowerShell's
usual text unless a "### -WhatIf" / "### -Confirm" entry says more.

ABOUT TOPIC FORMAT (docs/help/about_<Topic>.md)

  # about_ConfluenceAudit                     the file's base name
  ## SHORT DESCRIPTION                        required, first: one paragraph
  ## LONG DESCRIPTION                         required, second
  ## ANY OTHER HEADING                        any number; "### Subheading" inside them
  ## SEE ALSO                                 optional, "- " items

Rendered as the classic layout: TOPIC / SHORT DESCRIPTION / LONG DESCRIPTION / ..., headings in capitals at
column 0, text indented 4 and wrapped at 80 columns, list items with a hanging indent, code indented 8 (code is
never wrapped, so a code line longer than 72 characters is refused).

TEXT (both formats)
Paragraphs are separated by blank lines; their lines are joined. A line starting with "- " or "* " starts a list
item; indented lines after it continue it. Fenced code blocks (```) are kept verbatim. Inline markup is reduced
to plain text: `code` -> code, **bold** -> bold, [text](url) -> text (url), <url> -> url. Tables, HTML and
headings below level 3 are refused.

.EXAMPLE
Import-Module ./build/ConfluenceAudit.Build.psm1; Export-ModuleHelp -ModulePath ./out/ConfluenceAudit -SourcePath ./docs/help

.EXAMPLE
Export-ModuleHelp -ModulePath ./out/ConfluenceAudit -SourcePath ./docs/help -OutputPath ./out/help-check
#>
    [CmdletBinding()]
    param(
        # The built module folder (out/ConfluenceAudit), holding ConfluenceAudit.psd1.
        [Parameter(Mandatory)]
        [string] $ModulePath,

        # The folder of the markdown sources (docs/help).
        [Parameter(Mandatory)]
        [string] $SourcePath,

        # Where the help files go; by default <ModulePath>/en-US.
        [string] $OutputPath
    )

    $moduleName = $script:HelpModuleName
    $problems = [System.Collections.Generic.List[string]]::new()

    $ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
    $SourcePath = (Resolve-Path -LiteralPath $SourcePath).ProviderPath
    if (-not (Test-Path -LiteralPath (Join-Path $ModulePath "$moduleName.psd1"))) { throw "'$ModulePath' holds no $moduleName.psd1: give the built module folder (out/$moduleName)." }
    if (-not $OutputPath) { $OutputPath = Join-Path $ModulePath 'en-US' }

    $metadata = Get-HelpModuleMetadata -ModulePath $ModulePath
    $commands = ConvertTo-HelpCommandTable -Command @($metadata.Commands)
    if ($commands.Count -eq 0) { throw "The module in '$ModulePath' exports no cmdlets." }

    $aboutFiles = @(Get-ChildItem -LiteralPath $SourcePath -Filter 'about_*.md' -File)
    $topics = @($aboutFiles | ForEach-Object { [IO.Path]::GetFileNameWithoutExtension($_.Name) })
    if ("about_$moduleName" -notin $topics) { Add-HelpProblem $problems $SourcePath "There is no about_$moduleName.md." }

    $helps = foreach ($command in @($metadata.Commands | Sort-Object Name)) {
        $path = Join-Path $SourcePath "$($command.Name).md"
        if (-not (Test-Path -LiteralPath $path)) { Add-HelpProblem $problems $SourcePath "$($command.Name) has no help file ($($command.Name).md)."; continue }
        ConvertTo-CmdletHelp -Command $command -Document (Read-HelpMarkdown -Path $path -Problems $problems) -Commands $commands -Topics $topics -Problems $problems
    }
    foreach ($orphan in Get-ChildItem -LiteralPath $SourcePath -Filter '*.md' -File) {
        $base = [IO.Path]::GetFileNameWithoutExtension($orphan.Name)
        if ($base -notlike 'about_*' -and -not $commands.ContainsKey($base) -and $base -ne 'README') { Add-HelpProblem $problems $orphan.Name "There is no exported cmdlet $base for this help file." }
    }
    $abouts = foreach ($file in $aboutFiles) { ConvertTo-AboutText -Document (Read-HelpMarkdown -Path $file.FullName -Problems $problems) -Commands $commands -Problems $problems }

    if ($problems.Count -gt 0) {
        foreach ($problem in $problems) { Write-Host "  $problem" -ForegroundColor Red }
        throw ("The help of $moduleName is not complete ($($problems.Count) problem$(if ($problems.Count -ne 1) { 's' })):`n  " + ($problems -join "`n  "))
    }

    New-Item -ItemType Directory -Path $OutputPath -Force | Out-Null
    $maml = Join-Path $OutputPath $script:MamlFileName
    Export-MamlHelp -Path $maml -Helps @($helps) -Version $metadata.Version
    $null = [xml](Get-Content -LiteralPath $maml -Raw)   # well-formed, or the build stops here
    foreach ($about in $abouts) {
        Set-Content -LiteralPath (Join-Path $OutputPath "$($about.Topic).help.txt") -Value $about.Text -NoNewline -Encoding utf8BOM
    }
    Write-Host "Help: $(@($helps).Count) cmdlets and $(@($abouts).Count) about topic(s) written to $OutputPath"
}

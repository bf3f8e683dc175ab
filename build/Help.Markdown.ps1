# The subset of Markdown the help is written in (Help.Export.ps1 describes it), read into sections and blocks.

function Add-HelpProblem {
    # Every problem is collected, so that one run reports all of them at once.
    param([System.Collections.Generic.List[string]] $Problems, [string] $Where, [string] $Message)
    $Problems.Add("${Where}: $Message")
}

function ConvertTo-HelpPlainText([string] $Text) {
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\((\S+?)\)', '$1 ($2)')
    $Text = [regex]::Replace($Text, '<(https?://[^>\s]+)>', '$1')
    $Text = [regex]::Replace($Text, '\*\*(.+?)\*\*', '$1')
    $Text = [regex]::Replace($Text, '`([^`]+)`', '$1')
    $Text.Trim()
}

function New-HelpContainer([string] $Title, [int] $Line) {
    [pscustomobject]@{ Title = $Title; Line = $Line; Blocks = [System.Collections.Generic.List[object]]::new(); Subsections = [System.Collections.Generic.List[object]]::new() }
}

function Read-HelpMarkdown {
    # Returns @{ Title; Sections } where a section has Title, Blocks and Subsections (each with Title and Blocks).
    # A block is Paragraph, ListItem (Text) or Code (Language, Text). Problems are added to -Problems with file and line.
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [System.Collections.Generic.List[string]] $Problems
    )
    $file = Split-Path -Leaf $Path
    $lines = @(Get-Content -LiteralPath $Path -Encoding utf8)
    $document = [pscustomobject]@{ Path = $Path; File = $file; Title = $null; Sections = [System.Collections.Generic.List[object]]::new() }
    $container = $null
    $section = $null
    $paragraph = $null
    $fence = $null

    $flush = {
        if ($null -ne $paragraph) {
            $container.Blocks.Add([pscustomobject]@{ Kind = $paragraph.Kind; Text = ConvertTo-HelpPlainText ($paragraph.Lines -join ' '); Language = $null; Line = $paragraph.Line })
            $paragraph = $null
        }
    }

    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        $number = $i + 1
        if ($null -ne $fence) {
            if ($line -match '^\s*```\s*$') {
                $container.Blocks.Add([pscustomobject]@{ Kind = 'Code'; Text = ($fence.Lines -join "`n"); Language = $fence.Language; Line = $fence.Line })
                $fence = $null
            }
            else { $fence.Lines.Add($line) }
            continue
        }

        if ($line -match '^```\s*(\S*)\s*$') {
            . $flush
            if ($null -eq $container) { Add-HelpProblem $Problems "$file line $number" 'Code outside a section.'; $container = New-HelpContainer '' $number }
            $fence = [pscustomobject]@{ Language = $Matches[1]; Line = $number; Lines = [System.Collections.Generic.List[string]]::new() }
            continue
        }

        if ($line -match '^(#+)\s+(.+?)\s*$') {
            . $flush
            $level = $Matches[1].Length
            $title = $Matches[2]
            switch ($level) {
                1 {
                    if ($null -ne $document.Title) { Add-HelpProblem $Problems "$file line $number" "A second level-1 heading ('$title')." }
                    elseif ($document.Sections.Count -gt 0) { Add-HelpProblem $Problems "$file line $number" 'The level-1 heading must come first.' }
                    else { $document.Title = $title }
                }
                2 {
                    $section = New-HelpContainer $title $number
                    $document.Sections.Add($section)
                    $container = $section
                }
                3 {
                    if ($null -eq $section) { Add-HelpProblem $Problems "$file line $number" "'### $title' is outside any '##' section."; $section = New-HelpContainer '' $number }
                    $container = New-HelpContainer $title $number
                    $section.Subsections.Add($container)
                }
                default { Add-HelpProblem $Problems "$file line $number" "Headings below level 3 are not supported ('$line')." }
            }
            continue
        }

        if ($line.Trim().Length -eq 0) { . $flush; continue }

        if ($line -match '^\s*(\||<[a-zA-Z/!])') {
            Add-HelpProblem $Problems "$file line $number" "Tables and HTML are not supported ('$line')."
            continue
        }

        if ($null -eq $container) {
            Add-HelpProblem $Problems "$file line $number" "Text outside a section ('$line')."
            continue
        }

        if ($line -match '^[-*]\s+(.*)$') {
            . $flush
            $paragraph = [pscustomobject]@{ Kind = 'ListItem'; Line = $number; Lines = [System.Collections.Generic.List[string]]::new() }
            $paragraph.Lines.Add($Matches[1])
        }
        elseif ($null -ne $paragraph) {
            $paragraph.Lines.Add($line.Trim())
        }
        else {
            $paragraph = [pscustomobject]@{ Kind = 'Paragraph'; Line = $number; Lines = [System.Collections.Generic.List[string]]::new() }
            $paragraph.Lines.Add($line.Trim())
        }
    }

    if ($null -ne $fence) { Add-HelpProblem $Problems "$file line $($fence.Line)" 'The code block is never closed.' }
    if ($null -ne $container) { . $flush }
    if ($null -eq $document.Title) { Add-HelpProblem $Problems $file 'There is no level-1 heading.' }
    $document
}

function Get-HelpTextBlock {
    # The paragraphs of a container that may hold only text; reports what does not belong.
    param($Container, [string] $Where, [System.Collections.Generic.List[string]] $Problems, [switch] $AllowCode, [switch] $AllowList)
    foreach ($block in $Container.Blocks) {
        if ($block.Kind -eq 'Code' -and -not $AllowCode) { Add-HelpProblem $Problems "$Where (line $($block.Line))" 'Code blocks are not allowed here (put code in an example).'; continue }
        if ($block.Kind -eq 'ListItem' -and -not $AllowList) { Add-HelpProblem $Problems "$Where (line $($block.Line))" 'List items are not allowed here.'; continue }
        $block
    }
}
